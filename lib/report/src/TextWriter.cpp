//===- TextWriter.cpp - clang-style diagnostics ---------------------------===//

#include "taskfit/analysis/SourceFiles.h"
#include "taskfit/report/Writers.h"

#include "llvm/Support/WithColor.h"

namespace taskfit {

static void location(llvm::raw_ostream& OS, const SourceLoc& Loc, bool Color) {
  if (Color)
    OS.changeColor(llvm::raw_ostream::SAVEDCOLOR, /*Bold=*/true);
  OS << Loc.File;
  if (Loc.Line) {
    OS << ':' << Loc.Line;
    if (Loc.Column)
      OS << ':' << Loc.Column;
  }
  OS << ": ";
  if (Color)
    OS.resetColor();
}

static void label(llvm::raw_ostream& OS, llvm::StringRef Text, llvm::raw_ostream::Colors C,
                  bool Color) {
  if (Color)
    OS.changeColor(C, /*Bold=*/true);
  OS << Text << ": ";
  if (Color)
    OS.resetColor();
}

static llvm::raw_ostream::Colors colourOf(Level L) {
  switch (L) {
  case Level::Note:
    return llvm::raw_ostream::BLACK;
  case Level::Warning:
    return llvm::raw_ostream::MAGENTA;
  case Level::Error:
    return llvm::raw_ostream::RED;
  }
  return llvm::raw_ostream::MAGENTA;
}

static void snippet(llvm::raw_ostream& OS, SourceFiles& Files, const SourceLoc& Loc, bool Color) {
  llvm::StringRef Line = Files.line(Loc.File, Loc.Line);
  if (Line.empty() || Loc.Column == 0)
    return;
  OS << Line << '\n';
  std::string Caret;
  for (unsigned I = 0; I + 1 < Loc.Column && I < Line.size(); ++I)
    Caret += Line[I] == '\t' ? '\t' : ' ';
  if (Color)
    OS.changeColor(llvm::raw_ostream::GREEN, true);
  OS << Caret << "^\n";
  if (Color)
    OS.resetColor();
}

void writeText(llvm::raw_ostream& OS, const AnalysisResult& Result, SourceFiles& Files,
               bool Color) {
  for (const TUFailure& Failure : Result.Failures) {
    for (const ParseDiagnostic& D : Failure.Errors) {
      location(OS, D.Loc.File.empty() ? SourceLoc{Failure.File, 0, 0} : D.Loc, Color);
      label(OS, "error", llvm::raw_ostream::RED, Color);
      OS << D.Message << " [clang-diagnostic-error]\n";
    }
    location(OS, {Failure.File, 0, 0}, Color);
    label(OS, "error", llvm::raw_ostream::RED, Color);
    OS << "this translation unit could not be analysed; its findings are missing\n";
  }
  for (const Finding& F : Result.Findings) {
    location(OS, F.Loc, Color);
    label(OS, levelName(F.Severity), colourOf(F.Severity), Color);
    OS << F.Message << " [" << F.CheckId << "]\n";
    snippet(OS, Files, F.Loc, Color);
    for (size_t I = 1; I < F.Trace.size(); ++I) {
      location(OS, F.Trace[I].Loc, Color);
      label(OS, "note", llvm::raw_ostream::BLACK, Color);
      OS << F.Trace[I].Message << '\n';
    }
    for (const FindingStep& Step : F.Context) {
      location(OS, Step.Loc, Color);
      label(OS, "note", llvm::raw_ostream::BLACK, Color);
      OS << Step.Message << '\n';
    }
  }
}

} // namespace taskfit
