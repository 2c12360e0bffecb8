//===- NolintFilter.cpp ---------------------------------------------------===//

#include "filter/NolintFilter.h"

#include "knowledge/Names.h"

#include "llvm/ADT/StringExtras.h"

namespace taskfit {

namespace {

enum class MarkerKind { SameLine, NextLine, Begin, End };

struct Marker {
  MarkerKind Kind;
  std::vector<std::string> Checks; ///< Empty: every check.
  unsigned Column;                 ///< 1-based, of the `NOLINT`.
  llvm::StringRef Text;            ///< `NOLINTNEXTLINE(blocking-*)`.
};

std::vector<Marker> parseMarkers(llvm::StringRef Line) {
  std::vector<Marker> Out;
  for (size_t Pos = Line.find("NOLINT"); Pos != llvm::StringRef::npos;
       Pos = Line.find("NOLINT", Pos + 1)) {
    llvm::StringRef Rest = Line.substr(Pos + 6);
    Marker M{MarkerKind::SameLine, {}, static_cast<unsigned>(Pos + 1), {}};
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
      Rest = Rest.drop_front(Close + 1);
    }
    M.Text = Line.substr(Pos, Rest.data() - Line.data() - Pos);
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
  struct OpenBlock {
    unsigned Line, Column;
    std::vector<std::string> Checks;
  };
  std::vector<OpenBlock> Open;
  const auto& Lines = Files.lines(File);
  for (unsigned I = 0; I < Lines.size(); ++I)
    for (Marker& M : parseMarkers(Lines[I])) {
      if (M.Kind == MarkerKind::Begin) {
        Open.push_back({I + 1, M.Column, std::move(M.Checks)});
      } else if (M.Kind == MarkerKind::End) {
        // Close the innermost BEGIN with the same check list.
        for (auto B = Open.rbegin(); B != Open.rend(); ++B)
          if (B->Checks == M.Checks) {
            It->second.push_back({B->Line, I + 1, B->Column, B->Checks});
            Open.erase(std::next(B).base());
            break;
          }
      }
    }
  return It->second;
}

bool NolintFilter::suppressed(const Finding& F) {
  // Every marker that covers the finding counts as used, not only the first.
  bool Suppressed = false;
  auto Use = [&](unsigned Line, unsigned Column) {
    Used.insert({F.Loc.File, Line, Column});
    Suppressed = true;
  };
  for (const Marker& M : parseMarkers(Files.line(F.Loc.File, F.Loc.Line)))
    if (M.Kind == MarkerKind::SameLine && covers(M.Checks, F.CheckId))
      Use(F.Loc.Line, M.Column);
  if (F.Loc.Line > 1)
    for (const Marker& M : parseMarkers(Files.line(F.Loc.File, F.Loc.Line - 1)))
      if (M.Kind == MarkerKind::NextLine && covers(M.Checks, F.CheckId))
        Use(F.Loc.Line - 1, M.Column);
  for (const Range& R : blockRanges(F.Loc.File))
    if (F.Loc.Line >= R.Begin && F.Loc.Line <= R.End && covers(R.Checks, F.CheckId))
      Use(R.Begin, R.Column);
  return Suppressed;
}

std::vector<UnusedSuppression> NolintFilter::unused(llvm::StringRef File,
                                                    llvm::ArrayRef<std::string> CheckIds) {
  // Only markers naming our checks: a bare NOLINT, or NOLINT(*), may be meant
  // for clang-tidy, and a marker listing only clang-tidy checks certainly is.
  auto Ours = [&](const Marker& M) {
    for (const std::string& Pattern : M.Checks)
      if (Pattern != "*")
        for (const std::string& Id : CheckIds)
          if (globMatch(Pattern, Id))
            return true;
    return false;
  };
  std::vector<UnusedSuppression> Out;
  const auto& Lines = Files.lines(File);
  for (unsigned I = 0; I < Lines.size(); ++I)
    for (const Marker& M : parseMarkers(Lines[I]))
      if (M.Kind != MarkerKind::End && Ours(M) && !Used.count({File.str(), I + 1, M.Column}))
        Out.push_back({{File.str(), I + 1, M.Column}, M.Text.str()});
  return Out;
}

} // namespace taskfit
