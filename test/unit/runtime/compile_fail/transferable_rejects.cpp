// Each CASE_* must fail to compile with a taskfit::Transferable diagnostic naming the type.
#include <atomic>
#include <functional>
#include <mutex>
#include <string_view>
#include <taskfit/runtime/process_pool.hpp>
#include <vector>

namespace {

int read_through(int* value) {
  return *value;
}
void write_back(int& out) {
  out = 1;
}
int count(std::string_view text) {
  return static_cast<int>(text.size());
}
int load(std::atomic<int> value) {
  return value.load();
}
int call(std::function<int()> fn) {
  return fn();
}
int sum(std::vector<int*> values) {
  return static_cast<int>(values.size());
}

// cereal would happily serialise this (it has a serialize function); the mutex must still stop it.
struct JobWithMutex {
  std::mutex guard;
  int level = 0;
  template <class Archive>
  void serialize(Archive& archive) {
    archive(level);
  }
};
int run_job(JobWithMutex job) {
  return job.level;
}

struct Job {
  std::string path;
  std::vector<double> weights;
  template <class Archive>
  void serialize(Archive& archive) {
    archive(path, weights);
  }
};
Job echo(Job job) {
  return job;
}

} // namespace

void submit_everything(taskfit::ProcessPool& pool) {
#if defined(CASE_pointer)
  int value = 1;
  pool.submit<&read_through>(&value);
#elif defined(CASE_reference)
  pool.submit<&write_back>(1);
#elif defined(CASE_capturing_lambda)
  int captured = 1;
  pool.submit([captured] { return captured; });
#elif defined(CASE_struct_with_mutex)
  pool.submit<&run_job>(JobWithMutex{});
#elif defined(CASE_string_view)
  pool.submit<&count>("text");
#elif defined(CASE_atomic)
  pool.submit<&load>(1);
#elif defined(CASE_std_function)
  pool.submit<&call>([] { return 1; });
#elif defined(CASE_vector_of_pointers)
  pool.submit<&sum>(std::vector<int*>{});
#elif defined(CASE_accepted)
  static_assert(taskfit::Transferable<int>);
  static_assert(taskfit::Transferable<std::string>);
  static_assert(taskfit::Transferable<std::vector<std::pair<std::string, double>>>);
  static_assert(taskfit::Transferable<Job>);
  static_assert(!taskfit::Transferable<int*>);
  static_assert(!taskfit::Transferable<std::string_view>);
  static_assert(!taskfit::Transferable<std::shared_ptr<int>>);
  static_assert(!taskfit::Transferable<std::atomic<int>>);
  static_assert(!taskfit::Transferable<JobWithMutex>);
  static_assert(!taskfit::Transferable<std::vector<int*>>);
  pool.submit<&echo>(Job{"a", {1.0}});
#endif
}
