//===- Writers.h - Findings as text, JSON and SARIF 2.1.0 -----------------===//
#ifndef TASKFIT_REPORT_WRITERS_H
#define TASKFIT_REPORT_WRITERS_H

#include "taskfit/analysis/Analysis.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

namespace taskfit {

class SourceFiles;

struct ToolIdentity {
  std::string Name = "taskfit";
  std::string Version;
  std::string DocsBaseUri; ///< Ends in '/'; `<id>.md` is appended for helpUri.
};

/// clang-style diagnostics: `file:line:col: warning: message [check-id]`, the
/// source line with a caret, then `note:` lines for the evidence.
void writeText(llvm::raw_ostream& OS, const AnalysisResult& Result, SourceFiles& Files, bool Color);

/// The findings and failures as stable JSON (documented in docs/output.md).
void writeJson(llvm::raw_ostream& OS, const AnalysisResult& Result, const ToolIdentity& Tool);

/// One SARIF 2.1.0 run, valid against the official schema and the rules
/// GitHub code scanning applies on upload.
void writeSarif(llvm::raw_ostream& OS, const AnalysisResult& Result, SourceFiles& Files,
                const ToolIdentity& Tool);

/// GitLab's code quality report: Code Climate issues, one per finding and
/// per file that could not be analysed.
void writeCodeQuality(llvm::raw_ostream& OS, const AnalysisResult& Result);

/// The workload report (docs/output.md): every task site with its class,
/// evidence, volume, payload, current and recommended model, and a count of
/// sites per matrix cell.
llvm::json::Value workloadJson(const AnalysisResult& Result);
void writeWorkloadJson(llvm::raw_ostream& OS, const AnalysisResult& Result);
void writeWorkloadTable(llvm::raw_ostream& OS, const AnalysisResult& Result);

} // namespace taskfit

#endif
