//===- Extract.cpp --------------------------------------------------------===//

#include "extract/Extract.h"

#include "extract/FactsCache.h"
#include "extract/ParallelExtraction.h"

#include <set>

namespace taskfit {
namespace {

using Clock = std::chrono::steady_clock;

/// What each job needs: its request for a worker, and the files that shape
/// its facts (for the cache key).
struct Planned {
  std::vector<ExtractionRequest> Requests;
  std::vector<std::vector<std::string>> Shaping;
};

llvm::Expected<Planned> plan(const std::vector<CompileJob>& Jobs, Knowledge& Known,
                             const ExtractOptions& Options) {
  Planned Out;
  ExtractSettings Settings{Options.SourceRoot, Options.ResourceDir, Options.ExtraArgs, 3};
  for (const CompileJob& Job : Jobs) {
    auto Cfg = Known.configFor(Job.File);
    if (!Cfg)
      return Cfg.takeError();
    auto Rules = Known.rulesFor(**Cfg);
    if (!Rules)
      return Rules.takeError();
    ExtractSettings ForJob = Settings;
    ForJob.ThirdParty = (*Cfg)->ThirdParty;
    Out.Requests.push_back({Job, Known.options().RulesDir, Known.packsFor(**Cfg), ForJob});
    Out.Shaping.push_back(Known.shapingFiles(**Cfg, **Rules));
  }
  return Out;
}

} // namespace

llvm::Expected<ExtractionOutcome> extractFacts(const std::vector<CompileJob>& Jobs,
                                               Knowledge& Known, const ExtractOptions& Options) {
  ExtractionOutcome Out;
  Out.SourceRoot = Options.SourceRoot;
  auto Planned = plan(Jobs, Known, Options);
  if (!Planned)
    return Planned.takeError();
  std::set<std::string> AllShaping;
  for (const auto& Files : Planned->Shaping)
    AllShaping.insert(Files.begin(), Files.end());
  Out.ShapingFiles.assign(AllShaping.begin(), AllShaping.end());

  std::optional<FactsCache> Cache;
  if (!Options.CacheDir.empty()) {
    auto Opened = FactsCache::open(Options.CacheDir, Options.ToolIdentity);
    if (!Opened)
      return Opened.takeError();
    Cache.emplace(std::move(*Opened));
  }

  auto Start = Clock::now();
  std::vector<ExtractionRequest>& Requests = Planned->Requests;
  Out.TranslationUnits.resize(Requests.size());
  ExtractionProgress Progress;
  Progress.Total = Requests.size();
  auto Finished = [&](size_t I, bool Cached) {
    ++Progress.Done;
    Progress.File = Out.TranslationUnits[I].MainFile;
    Progress.Cached = Cached;
    Progress.Failed = !Out.TranslationUnits[I].Complete;
    if (Options.OnTranslationUnit)
      Options.OnTranslationUnit(Progress);
  };

  // Cached TUs first: their facts are ready, only the rest go to the pool.
  std::vector<std::string> Keys(Requests.size());
  std::vector<size_t> ToExtract;
  for (size_t I = 0; I < Requests.size(); ++I) {
    if (Cache) {
      const CompileJob& Job = Requests[I].Job;
      Keys[I] =
          Cache->key(Job, adjustArguments(Job.Arguments, Options.ResourceDir, Options.ExtraArgs),
                     Planned->Shaping[I]);
      if (std::optional<TUFacts> Hit = Cache->lookup(Keys[I])) {
        Out.TranslationUnits[I] = std::move(*Hit);
        ++Out.Stats.CachedTranslationUnits;
        Finished(I, /*Cached=*/true);
        continue;
      }
    }
    ToExtract.push_back(I);
  }

  std::vector<ExtractionRequest> Pending;
  for (size_t I : ToExtract)
    Pending.push_back(std::move(Requests[I]));
  ExtractionPool Pool({Options.Workers, Options.TuTimeout, Options.Server});
  Pool.run(Pending, [&](size_t K, TUFacts Facts) {
    size_t I = ToExtract[K];
    if (Cache)
      if (llvm::Error Err = Cache->store(Keys[I], Facts))
        Out.Stats.Warnings.push_back(llvm::toString(std::move(Err)));
    Out.TranslationUnits[I] = std::move(Facts);
    Finished(I, /*Cached=*/false);
  });
  Out.Stats.ExtractSeconds = std::chrono::duration<double>(Clock::now() - Start).count();
  return Out;
}

} // namespace taskfit
