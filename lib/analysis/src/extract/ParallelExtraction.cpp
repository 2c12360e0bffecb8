//===- ParallelExtraction.cpp ---------------------------------------------===//

#include "extract/ParallelExtraction.h"

#include "knowledge/RuleSet.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/raw_ostream.h"

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <taskfit/runtime/process_pool.hpp>

namespace taskfit {
namespace {

/// ExtractionRequest as it crosses to a worker: plain values.
struct WireRequest {
  std::string File, Directory;
  std::vector<std::string> Arguments;
  std::string RulesDir;
  std::vector<std::string> Packs;
  std::string SourceRoot, ResourceDir;
  std::vector<std::string> ExtraArgs;
  unsigned MaxReportedErrors = 3;
  std::vector<std::string> ThirdParty;

  template <class Archive>
  void serialize(Archive& A) {
    A(File, Directory, Arguments, RulesDir, Packs, SourceRoot, ResourceDir, ExtraArgs,
      MaxReportedErrors, ThirdParty);
  }
};

WireRequest toWire(const ExtractionRequest& R) {
  return {R.Job.File,
          R.Job.Directory,
          R.Job.Arguments,
          R.RulesDir,
          R.Packs,
          R.Settings.SourceRoot,
          R.Settings.ResourceDir,
          R.Settings.ExtraArgs,
          R.Settings.MaxReportedErrors,
          R.Settings.ThirdParty};
}

/// Runs in a worker: the TU's Facts as JSON. Rule sets are loaded once per
/// worker and pack list (the parent has validated them already).
std::string extractInWorker(WireRequest R) {
  static std::map<std::pair<std::string, std::vector<std::string>>, std::unique_ptr<RuleSet>>
      Loaded;
  auto& Rules = Loaded[{R.RulesDir, R.Packs}];
  if (!Rules) {
    auto Set = std::make_unique<RuleSet>();
    if (auto Err = loadRuleSet(*Set, R.RulesDir, R.Packs))
      throw std::runtime_error(llvm::toString(std::move(Err)));
    Rules = std::move(Set);
  }
  CompileJob Job{std::move(R.File), std::move(R.Directory), std::move(R.Arguments)};
  ExtractSettings Settings{std::move(R.SourceRoot), std::move(R.ResourceDir),
                           std::move(R.ExtraArgs), R.MaxReportedErrors, std::move(R.ThirdParty)};
  std::string Json;
  llvm::raw_string_ostream(Json) << toJSON(extractTranslationUnit(Job, *Rules, Settings));
  return Json;
}

TUFacts failed(const ExtractionRequest& R, std::string Message) {
  TUFacts Facts;
  Facts.MainFile = relativeToRoot(R.Job.File, R.Settings.SourceRoot);
  Facts.Complete = false;
  Facts.Errors.push_back({{Facts.MainFile, 0, 0}, std::move(Message)});
  return Facts;
}

/// Why a worker died, without its process id: reports stay reproducible.
std::string describeDeath(llvm::StringRef What) {
  llvm::SmallVector<llvm::StringRef, 3> Groups;
  if (llvm::Regex("signal ([0-9]+) \\((SIG[A-Z0-9]+)\\)").match(What, &Groups))
    return "clang crashed while parsing this file (signal " + Groups[1].str() + ", " +
           Groups[2].str() + ")";
  if (llvm::Regex("exited with status ([0-9]+)").match(What, &Groups))
    return "the analysis of this file stopped unexpectedly (exit status " + Groups[1].str() + ")";
  return "the analysis of this file stopped unexpectedly: " + What.str();
}

std::string formatSeconds(std::chrono::milliseconds Limit) {
  std::string Text;
  llvm::raw_string_ostream(Text) << llvm::format("%g", Limit.count() / 1000.0);
  return Text;
}

TUFacts parseFacts(const ExtractionRequest& R, const std::string& Json) {
  auto Parsed = llvm::json::parse(Json);
  if (!Parsed) {
    llvm::consumeError(Parsed.takeError());
    return failed(R, "the analysis of this file returned unreadable facts");
  }
  auto Facts = factsFromJSON(*Parsed);
  if (!Facts)
    return failed(R, "the analysis of this file returned unreadable facts: " +
                         llvm::toString(Facts.takeError()));
  return std::move(*Facts);
}

/// Indices of finished futures, in completion order.
class Completions {
public:
  void push(size_t I) {
    {
      std::lock_guard Lock(Mutex);
      Ready.push_back(I);
    }
    Changed.notify_one();
  }
  size_t pop() {
    std::unique_lock Lock(Mutex);
    Changed.wait(Lock, [&] { return !Ready.empty(); });
    size_t I = Ready.front();
    Ready.pop_front();
    return I;
  }

private:
  std::mutex Mutex;
  std::condition_variable Changed;
  std::deque<size_t> Ready;
};

} // namespace

struct ExtractionPool::Impl {
  explicit Impl(const ExtractionPoolOptions& O)
      : Pool({.max_workers = std::max(1u, O.Workers),
              .fork_server = O.Server,
              // One TU at a time per worker: TUs take from milliseconds to minutes, and a
              // batch would leave short ones waiting behind a long one.
              .tasks_ahead_per_worker = 1,
              .task_timeout = O.TuTimeout}) {}
  ProcessPool Pool;
};

ExtractionPool::ExtractionPool(ExtractionPoolOptions Options) : Options(std::move(Options)) {}
ExtractionPool::~ExtractionPool() = default;

void ExtractionPool::run(const std::vector<ExtractionRequest>& Requests,
                         llvm::function_ref<void(size_t, TUFacts)> Done) {
  if (Requests.empty())
    return;
  if (!Pool) {
    ExtractionPoolOptions Sized = Options;
    Sized.Workers = std::min<size_t>(std::max(1u, Options.Workers), Requests.size());
    Pool = std::make_unique<Impl>(Sized);
  }
  // Shared with the callbacks, which may outlive this call if a submission throws.
  auto Finished = std::make_shared<Completions>();
  std::vector<Future<std::string>> Futures;
  Futures.reserve(Requests.size());
  for (size_t I = 0; I < Requests.size(); ++I) {
    Futures.push_back(Pool->Pool.submit<&extractInWorker>(toWire(Requests[I])));
    Futures.back().add_done_callback([Finished, I] { Finished->push(I); });
  }
  for (size_t Count = 0; Count < Requests.size(); ++Count) {
    size_t I = Finished->pop();
    const ExtractionRequest& R = Requests[I];
    TUFacts Facts;
    try {
      Facts = parseFacts(R, Futures[I].result());
    } catch (const TimeoutError&) {
      Facts = failed(R, "the analysis of this file took longer than --tu-timeout=" +
                            formatSeconds(*Options.TuTimeout) + "s and was stopped");
    } catch (const BrokenProcessPool& E) {
      Facts = failed(R, describeDeath(E.what()));
    } catch (const std::exception& E) {
      Facts = failed(R, std::string("the analysis of this file failed: ") + E.what());
    }
    Done(I, std::move(Facts));
  }
}

} // namespace taskfit
