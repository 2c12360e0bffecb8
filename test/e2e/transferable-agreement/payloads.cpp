// One set of payload types, judged twice: by the runtime's taskfit::Transferable
// concept (built with -DPRINT_VERDICTS, it prints each type's verdict) and by
// the analyser's non-serialisable-process-payload check (analysed as is, each
// type submitted to a ProcessPool from a function submit_<Name>).
// compare.py requires the two verdicts to match for every type.
#include <array>
#include <atomic>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

#ifdef PRINT_VERDICTS
#include "taskfit/runtime/process_pool.hpp"
#else
#include "process.h" // The analyser's mock: submissions must parse for rejected types too.
#endif

struct Report {
  std::string path;
  std::vector<double> values;
  template <class Archive>
  void serialize(Archive& archive) {
    archive(path, values);
  }
};
struct Versioned {
  int version = 0;
  template <class Archive>
  void save(Archive& archive) const {
    archive(version);
  }
  template <class Archive>
  void load(Archive& archive) {
    archive(version);
  }
};
namespace geo {
struct Point {
  double x = 0, y = 0;
};
template <class Archive>
void serialize(Archive& archive, Point& p) {
  archive(p.x, p.y);
}
} // namespace geo
struct Plain { // No serialisation function: cereal cannot send it.
  int x = 0;
};
struct Guarded { // Its serialize decides what crosses; the mutex stays behind.
  std::string key;
  std::mutex lock;
  Guarded() = default;
  Guarded(Guarded&&) noexcept {}
  template <class Archive>
  void serialize(Archive& archive) {
    archive(key);
  }
};

// Name, parameter type of the submitted function.
#define PAYLOADS(X)                                                                                \
  X(Int, int)                                                                                      \
  X(Double, double)                                                                                \
  X(String, std::string)                                                                           \
  X(ConstStringRef, const std::string&)                                                            \
  X(VectorOfInt, std::vector<int>)                                                                 \
  X(MapOfStrings, std::map<std::string, int>)                                                      \
  X(OptionalInt, std::optional<int>)                                                               \
  X(Variant, std::variant<int, std::string>)                                                       \
  X(Tuple, std::tuple<int, std::string>)                                                           \
  X(Pair, std::pair<int, double>)                                                                  \
  X(Array, std::array<int, 4>)                                                                     \
  X(Report, Report)                                                                                \
  X(ConstReportRef, const Report&)                                                                 \
  X(VectorOfReports, std::vector<Report>)                                                          \
  X(Versioned, Versioned)                                                                          \
  X(Point, geo::Point)                                                                             \
  X(Guarded, Guarded)                                                                              \
  X(Plain, Plain)                                                                                  \
  X(MutableReportRef, Report&)                                                                     \
  X(OstreamRef, std::ostream&)                                                                     \
  X(IntPointer, int*)                                                                              \
  X(CString, const char*)                                                                          \
  X(StringView, std::string_view)                                                                  \
  X(Span, std::span<int>)                                                                          \
  X(UniquePtr, std::unique_ptr<int>)                                                               \
  X(SharedPtr, std::shared_ptr<Report>)                                                            \
  X(Function, std::function<void()>)                                                              \
  X(Atomic, std::atomic<int>)                                                                      \
  X(Thread, std::thread)                                                                           \
  X(File, std::FILE*)                                                                              \
  X(VectorOfPointers, std::vector<int*>)                                                           \
  X(MapOfUniquePtrs, std::map<std::string, std::unique_ptr<int>>)                                  \
  X(OptionalView, std::optional<std::string_view>)                                                 \
  X(VectorOfPlain, std::vector<Plain>)

#define DECLARE(Name, ...) void take_##Name(__VA_ARGS__);
PAYLOADS(DECLARE)

#ifdef PRINT_VERDICTS
template <class Param>
void verdict(const char* name) {
  constexpr bool Accepted = taskfit::Transferable<taskfit::detail::payload_type_t<Param>>;
  std::printf("%s %s\n", name, Accepted ? "accepted" : "rejected");
}
#define PRINT(Name, ...) verdict<__VA_ARGS__>(#Name);
int main() {
  PAYLOADS(PRINT)
}
#else
template <class T>
T& value();
#define SUBMIT(Name, ...)                                                                          \
  void submit_##Name(taskfit::ProcessPool& pool) {                                                 \
    pool.submit<&take_##Name>(value<std::remove_reference_t<__VA_ARGS__>>());                             \
  }
PAYLOADS(SUBMIT)
#endif
