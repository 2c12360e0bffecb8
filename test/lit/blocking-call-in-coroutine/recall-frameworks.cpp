// Recall on the frameworks users write services with: a drogon coroutine
// handler (drogon::Task), Seastar code from before its namespace (a global
// `future`), and YAML::LoadFile, which opens and reads the file it is named.
// RUN: not %taskfit --checks='-*,blocking-call-*' %s -- -std=c++20 | FileCheck %s --implicit-check-not="warning:"
#include <coroutine>
#include <string>
#include <unistd.h>

namespace YAML {
class Node {};
Node LoadFile(const std::string& path);
Node Load(const std::string& text);
} // namespace YAML

namespace drogon {
template <class T = void>
struct Task {
  struct promise_type {
    Task get_return_object() noexcept;
    std::suspend_always initial_suspend() const noexcept;
    std::suspend_always final_suspend() const noexcept;
    void return_void() noexcept;
    void unhandled_exception() noexcept;
  };
  bool await_ready() const noexcept;
  void await_suspend(std::coroutine_handle<>) noexcept;
  void await_resume() noexcept;
};
} // namespace drogon

// Seastar before 2017 declared its classes in the global namespace.
template <class... T>
class future {};
future<> make_ready_future();

drogon::Task<> handle_settings() {
  YAML::Node settings = YAML::LoadFile("/etc/app/settings.yaml");
  // CHECK: recall-frameworks.cpp:[[@LINE-1]]:31: warning: coroutine 'handle_settings' calls 'YAML::LoadFile', which blocks (file-io);
  YAML::Node inline_settings = YAML::Load("retries: 3");
  co_return;
}

future<> on_request() {
  usleep(100);
  // CHECK: recall-frameworks.cpp:[[@LINE-1]]:3: warning: 'on_request' runs on the event loop and calls 'usleep', which blocks (sleep);
  // CHECK: recall-frameworks.cpp:[[@LINE-3]]:10: note: 'on_request' returns 'future', so it runs on the reactor
  return make_ready_future();
}
