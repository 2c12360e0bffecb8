// Category console-input: reading standard input waits for a person. Reading
// a string stream, or a file, is something else (file-io for the file).
// RUN: not %taskfit --checks='-*,blocking-call-in-coroutine' %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="warning:"
#include "coro.h"

#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>
#include <unistd.h>

taskfit::Task<std::string> prompt() {
  std::string name;
  std::cin >> name;
  // CHECK: :[[@LINE-1]]:12: warning: coroutine 'prompt' calls 'std::operator>>', which blocks
  // CHECK-SAME: (console-input); {{.*}}stream_descriptor{{.*}} [blocking-call-in-coroutine]
  int age = 0;
  std::cin >> age;
  // CHECK: :[[@LINE-1]]:12: warning: coroutine 'prompt' calls 'std::basic_istream::operator>>',
  // CHECK-SAME: which blocks (console-input);
  std::getline(std::cin, name);
  // CHECK: :[[@LINE-1]]:8: warning: coroutine 'prompt' calls 'std::getline', which blocks
  // CHECK-SAME: (console-input);
  std::cout << "hello " << name << '\n'; // Output is not input.
  co_return name;
}

taskfit::Task<int> parse(const std::string& text) {
  std::istringstream in(text);
  std::string word;
  in >> word;
  int number = 0;
  in >> number;
  std::getline(in, word);
  co_return number;
}

taskfit::Task<void> c_input(std::FILE* file) {
  char line[128];
  std::getchar();
  // CHECK: :[[@LINE-1]]:8: warning: coroutine 'c_input' calls 'getchar', which blocks
  // CHECK-SAME: (console-input);
  std::fgets(line, sizeof line, stdin);
  // CHECK: :[[@LINE-1]]:8: warning: coroutine 'c_input' calls 'fgets', which blocks
  // CHECK-SAME: (console-input);
  std::fgets(line, sizeof line, file);
  // CHECK: :[[@LINE-1]]:8: warning: coroutine 'c_input' calls 'fgets', which blocks (file-io);
  ::read(STDIN_FILENO, line, sizeof line);
  // CHECK: :[[@LINE-1]]:5: warning: coroutine 'c_input' calls 'read', which blocks
  // CHECK-SAME: (console-input);
  int value = 0;
  std::scanf("%d", &value);
  // CHECK: :[[@LINE-1]]:8: warning: coroutine 'c_input' calls 'scanf', which blocks
  // CHECK-SAME: (console-input);
  co_return;
}
