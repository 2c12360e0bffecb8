//===- ParallelExtraction.h - TUs extracted on a pool of processes -------===//
//
// Clang can crash or hang on hostile input (a stack overflow on a 100,000-term
// expression kills clang itself), and neither can be recovered in-process.
// Each TU is therefore parsed in a worker process of libtaskfit's ProcessPool:
// a worker that dies fails only its TU, which names the signal; one that runs
// past the TU time limit is killed; the pool replaces both and goes on.
//
// Workers are copies of the process as it was when its fork server started,
// before options were read and rule packs loaded, so a request names the
// packs and each worker loads (and keeps) the rule sets it is asked for.
//
//===----------------------------------------------------------------------===//
#ifndef TASKFIT_ANALYSIS_EXTRACT_PARALLELEXTRACTION_H
#define TASKFIT_ANALYSIS_EXTRACT_PARALLELEXTRACTION_H

#include "extract/TranslationUnit.h"

#include "llvm/ADT/STLFunctionalExtras.h"

#include <chrono>
#include <memory>
#include <optional>

namespace taskfit {

class ForkServer;

/// What a worker needs to extract one TU on its own.
struct ExtractionRequest {
  CompileJob Job;
  std::string RulesDir;
  std::vector<std::string> Packs; ///< Extra packs, after the defaults.
  ExtractSettings Settings;
};

struct ExtractionPoolOptions {
  unsigned Workers = 1;
  /// A TU still being parsed after this long is stopped and reported.
  std::optional<std::chrono::milliseconds> TuTimeout;
  /// Started early in main(), before the process grew; null: the pool starts one.
  std::shared_ptr<ForkServer> Server;
};

class ExtractionPool {
public:
  explicit ExtractionPool(ExtractionPoolOptions Options);
  ~ExtractionPool();

  /// Extracts every request. Done(I, Facts) runs on the calling thread as
  /// each TU finishes, in completion order; a TU that crashed, hung or could
  /// not be parsed comes back with Complete == false and the reason.
  void run(const std::vector<ExtractionRequest>& Requests,
           llvm::function_ref<void(size_t, TUFacts)> Done);

private:
  struct Impl;
  std::unique_ptr<Impl> Pool;
  ExtractionPoolOptions Options;
};

} // namespace taskfit

#endif
