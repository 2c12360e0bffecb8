//===- Suppressions.cpp ---------------------------------------------------===//

#include "taskfit/analysis/Suppressions.h"

#include "taskfit/analysis/Names.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

namespace taskfit {

std::string SourceFiles::absolute(llvm::StringRef File) const {
  if (llvm::sys::path::is_absolute(File) || Root.empty())
    return File.str();
  llvm::SmallString<256> Path(Root);
  llvm::sys::path::append(Path, File);
  return std::string(Path);
}

const std::vector<std::string>& SourceFiles::lines(llvm::StringRef File) {
  auto [It, Inserted] = Cache.try_emplace(File);
  if (Inserted)
    if (auto Buffer = llvm::MemoryBuffer::getFile(absolute(File), /*IsText=*/true)) {
      llvm::SmallVector<llvm::StringRef, 0> Split;
      (*Buffer)->getBuffer().split(Split, '\n');
      for (llvm::StringRef L : Split)
        It->second.push_back(L.rtrim('\r').str());
    }
  return It->second;
}

llvm::StringRef SourceFiles::line(llvm::StringRef File, unsigned Line) {
  const auto& All = lines(File);
  return Line >= 1 && Line <= All.size() ? llvm::StringRef(All[Line - 1]) : llvm::StringRef();
}

namespace {

enum class MarkerKind { SameLine, NextLine, Begin, End };

struct Marker {
  MarkerKind Kind;
  std::vector<std::string> Checks; ///< Empty: every check.
};

std::vector<Marker> parseMarkers(llvm::StringRef Line) {
  std::vector<Marker> Out;
  for (size_t Pos = Line.find("NOLINT"); Pos != llvm::StringRef::npos;
       Pos = Line.find("NOLINT", Pos + 1)) {
    llvm::StringRef Rest = Line.substr(Pos + 6);
    Marker M{MarkerKind::SameLine, {}};
    if (Rest.consume_front("NEXTLINE"))
      M.Kind = MarkerKind::NextLine;
    else if (Rest.consume_front("BEGIN"))
      M.Kind = MarkerKind::Begin;
    else if (Rest.consume_front("END"))
      M.Kind = MarkerKind::End;
    if (!Rest.empty() && (llvm::isAlnum(Rest.front()) || Rest.front() == '_'))
      continue; // Some other word, e.g. NOLINTFOO.
    if (Rest.consume_front("(")) {
      size_t Close = Rest.find(')');
      if (Close == llvm::StringRef::npos)
        continue; // Malformed: clang-tidy ignores it too.
      llvm::SmallVector<llvm::StringRef, 4> Parts;
      Rest.substr(0, Close).split(Parts, ',', -1, false);
      for (llvm::StringRef P : Parts)
        if (!P.trim().empty())
          M.Checks.push_back(P.trim().str());
      if (M.Checks.empty())
        continue;
    }
    Out.push_back(std::move(M));
  }
  return Out;
}

bool covers(const std::vector<std::string>& Checks, llvm::StringRef Id) {
  if (Checks.empty())
    return true;
  for (const std::string& Pattern : Checks)
    if (globMatch(Pattern, Id))
      return true;
  return false;
}

} // namespace

const std::vector<NolintFilter::Range>& NolintFilter::blockRanges(llvm::StringRef File) {
  auto [It, Inserted] = Blocks.try_emplace(File);
  if (!Inserted)
    return It->second;
  std::vector<std::pair<unsigned, std::vector<std::string>>> Open;
  const auto& Lines = Files.lines(File);
  for (unsigned I = 0; I < Lines.size(); ++I)
    for (Marker& M : parseMarkers(Lines[I])) {
      if (M.Kind == MarkerKind::Begin) {
        Open.emplace_back(I + 1, std::move(M.Checks));
      } else if (M.Kind == MarkerKind::End) {
        // Close the innermost BEGIN with the same check list.
        for (auto B = Open.rbegin(); B != Open.rend(); ++B)
          if (B->second == M.Checks) {
            It->second.push_back({B->first, I + 1, B->second});
            Open.erase(std::next(B).base());
            break;
          }
      }
    }
  return It->second;
}

bool NolintFilter::suppressed(const Finding& F) {
  for (const Marker& M : parseMarkers(Files.line(F.Loc.File, F.Loc.Line)))
    if (M.Kind == MarkerKind::SameLine && covers(M.Checks, F.CheckId))
      return true;
  if (F.Loc.Line > 1)
    for (const Marker& M : parseMarkers(Files.line(F.Loc.File, F.Loc.Line - 1)))
      if (M.Kind == MarkerKind::NextLine && covers(M.Checks, F.CheckId))
        return true;
  for (const Range& R : blockRanges(F.Loc.File))
    if (F.Loc.Line >= R.Begin && F.Loc.Line <= R.End && covers(R.Checks, F.CheckId))
      return true;
  return false;
}

} // namespace taskfit
