//===- Baseline.cpp -------------------------------------------------------===//

#include "filter/Baseline.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/raw_ostream.h"

namespace taskfit {

constexpr int BaselineVersion = 1;

void assignFingerprints(std::vector<Finding>& Findings) {
  std::map<std::string, unsigned> Seen;
  for (Finding& F : Findings) {
    unsigned Ordinal = Seen[F.FingerprintKey]++;
    std::string Key = F.FingerprintKey + "#" + std::to_string(Ordinal);
    std::array<uint8_t, 32> Hash = llvm::SHA256::hash(llvm::arrayRefFromStringRef(Key));
    F.Fingerprint = llvm::toHex(llvm::ArrayRef(Hash).take_front(16), /*LowerCase=*/true);
  }
}

static bool fromJSON(const llvm::json::Value& V, BaselineEntry& E, llvm::json::Path P) {
  llvm::json::ObjectMapper O(V, P);
  int64_t Line = 0, Column = 0;
  if (!(O && O.map("fingerprint", E.Fingerprint) && O.map("check", E.CheckId) &&
        O.map("file", E.Loc.File) && O.map("line", Line) && O.mapOptional("column", Column) &&
        O.mapOptional("message", E.Message)))
    return false;
  E.Loc.Line = static_cast<unsigned>(Line);
  E.Loc.Column = static_cast<unsigned>(Column);
  return true;
}

llvm::Expected<Baseline> Baseline::load(llvm::StringRef Path) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buffer)
    return llvm::createStringError(Buffer.getError(), "%s: cannot read the baseline: %s",
                                   Path.str().c_str(), Buffer.getError().message().c_str());
  auto Json = llvm::json::parse((*Buffer)->getBuffer());
  if (!Json)
    return llvm::createStringError("%s: not a taskfit baseline: %s", Path.str().c_str(),
                                   llvm::toString(Json.takeError()).c_str());
  Baseline B;
  int Version = 0;
  llvm::json::Path::Root Root("baseline");
  llvm::json::ObjectMapper O(*Json, Root);
  if (!O || !O.map("version", Version) || !O.map("findings", B.Entries)) {
    std::string Why = llvm::toString(Root.getError());
    return llvm::createStringError("%s: not a taskfit baseline: %s", Path.str().c_str(),
                                   Why.c_str());
  }
  if (Version != BaselineVersion)
    return llvm::createStringError("%s: baseline version %d, expected %d", Path.str().c_str(),
                                   Version, BaselineVersion);
  for (size_t I = 0; I < B.Entries.size(); ++I)
    B.ByFingerprint.emplace(B.Entries[I].Fingerprint, I);
  B.Used.assign(B.Entries.size(), false);
  return B;
}

Baseline Baseline::fromFindings(const std::vector<Finding>& Findings) {
  Baseline B;
  for (const Finding& F : Findings)
    B.Entries.push_back({F.Fingerprint, F.CheckId, F.Loc, F.Message});
  std::sort(B.Entries.begin(), B.Entries.end(), [](const BaselineEntry& A, const BaselineEntry& C) {
    return std::tie(A.Loc, A.CheckId, A.Fingerprint) < std::tie(C.Loc, C.CheckId, C.Fingerprint);
  });
  for (size_t I = 0; I < B.Entries.size(); ++I)
    B.ByFingerprint.emplace(B.Entries[I].Fingerprint, I);
  B.Used.assign(B.Entries.size(), false);
  return B;
}

llvm::Error Baseline::save(llvm::StringRef Path) const {
  std::error_code EC;
  llvm::raw_fd_ostream OS(Path, EC, llvm::sys::fs::OF_Text);
  if (EC)
    return llvm::createStringError(EC, "cannot write the baseline '%s': %s", Path.str().c_str(),
                                   EC.message().c_str());
  // One finding per line: reviewable diffs when the baseline is updated.
  OS << "{\n  \"version\": " << BaselineVersion << ",\n  \"tool\": \"taskfit\",\n"
     << "  \"findings\": [";
  for (size_t I = 0; I < Entries.size(); ++I) {
    const BaselineEntry& E = Entries[I];
    OS << (I ? ",\n    " : "\n    ")
       << llvm::json::Value(llvm::json::Object{{"fingerprint", E.Fingerprint},
                                               {"check", E.CheckId},
                                               {"file", E.Loc.File},
                                               {"line", E.Loc.Line},
                                               {"column", E.Loc.Column},
                                               {"message", E.Message}});
  }
  OS << (Entries.empty() ? "]\n}\n" : "\n  ]\n}\n");
  if (OS.has_error()) {
    OS.clear_error();
    return llvm::createStringError("cannot write the baseline '%s'", Path.str().c_str());
  }
  return llvm::Error::success();
}

bool Baseline::accepts(const Finding& F) {
  auto It = ByFingerprint.find(F.Fingerprint);
  if (It == ByFingerprint.end())
    return false;
  Used[It->second] = true;
  return true;
}

std::vector<BaselineEntry> Baseline::unused() const {
  std::vector<BaselineEntry> Out;
  for (size_t I = 0; I < Entries.size(); ++I)
    if (!Used[I])
      Out.push_back(Entries[I]);
  return Out;
}

} // namespace taskfit
