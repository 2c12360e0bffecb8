// ProcessPool callables: workers find a function by its address, so only a
// function named at compile time crosses. Lambdas with captures, lambdas and
// function pointers given at run time, and pointers to member functions are
// rejected with the fix.
// RUN: not %taskfit %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="error:" --implicit-check-not="warning:"
#include "process.h"

int twice(int x) { return 2 * x; }
struct Scaler {
  int factor;
  int scale(int x) const { return factor * x; }
  static int identity(int x) { return x; }
};

void callables(taskfit::ProcessPool& pool, Scaler& scaler, int factor) {
  pool.submit<&twice>(1);
  pool.submit<&Scaler::identity>(2);
  pool.submit<+[](int x) { return x + 1; }>(3); // A captureless lambda named at compile time.

  pool.submit([factor](int x) { return factor * x; }, 4);
  // CHECK: callables.cpp:[[@LINE-1]]:8: error: the lambda passed to 'submit' cannot cross a process boundary: it captures 'factor' (a closure with captures); make it a named free function and pass its state as arguments: submit<&fn>(args...) [non-serialisable-process-payload]
  pool.submit([&scaler](int x) { return scaler.scale(x); }, 5);
  // CHECK: :[[@LINE-1]]:8: error: the lambda passed to 'submit' cannot cross a process boundary: it captures 'scaler' (a closure with captures)
  pool.submit([](int x) { return x; }, 6);
  // CHECK: :[[@LINE-1]]:8: error: the lambda passed to 'submit' cannot cross a process boundary: it is passed at run time, and closures cannot cross a process boundary; name the function at compile time: submit<&fn>(args...), or submit<+[](...) {...}>(args...)
  int (*pointer)(int) = &twice;
  pool.submit(pointer, 7);
  // CHECK: :[[@LINE-1]]:8: error: the callable of 'submit' of type 'int (*)(int)' cannot cross a process boundary: it is a function pointer passed at run time; name the function at compile time: submit<&fn>(args...)
  pool.submit<&Scaler::scale>(scaler, 8);
  // CHECK: :[[@LINE-1]]:8: error: argument 1 of 'submit' of type 'Scaler' cannot cross a process boundary: it is 'Scaler', which has no serialisation function
  // CHECK: :[[@LINE-2]]:8: error: the callable of 'submit' of type 'int (Scaler::*)(int) const' cannot cross a process boundary: it is a pointer to member function, which needs an object in this process; make 'Scaler::scale' a named free function and pass the object's state as arguments: submit<&fn>(args...)
}

// Function pointers as payload never cross either.
void run_callback(int (*callback)(int));
void payload(taskfit::ProcessPool& pool) {
  pool.submit<&run_callback>(&twice);
  // CHECK: :[[@LINE-1]]:8: error: argument 1 of 'submit' of type 'int (*)(int)' cannot cross a process boundary: it is 'int (*)(int)' (a function pointer)
}
