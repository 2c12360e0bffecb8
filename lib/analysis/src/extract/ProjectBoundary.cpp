//===- ProjectBoundary.cpp ------------------------------------------------===//

#include "extract/ProjectBoundary.h"

#include "knowledge/Names.h"

#include "llvm/Support/Path.h"

using namespace clang;

namespace taskfit {

/// Whether Path, absolute, is one the config marks third-party.
static bool isThirdParty(const std::vector<std::string>& ThirdParty, llvm::StringRef Path) {
  for (llvm::StringRef Entry : ThirdParty) {
    Entry = Entry.rtrim('/');
    if (Entry.contains('*')
            ? globMatch(Entry, Path)
            : Path.starts_with(Entry) && (Path.size() == Entry.size() ||
                                          llvm::sys::path::is_separator(Path[Entry.size()])))
      return true;
  }
  return false;
}

bool ProjectBoundary::outside(SourceLocation Loc) {
  if (Loc.isInvalid())
    return false;
  if (SM.isInSystemHeader(Loc))
    return true;
  if (ThirdParty.empty())
    return false;
  FileID File = SM.getFileID(SM.getFileLoc(Loc));
  auto [It, Inserted] = Outside.try_emplace(File, false);
  if (!Inserted)
    return It->second;
  if (OptionalFileEntryRef Entry = SM.getFileEntryRefForID(File)) {
    llvm::StringRef Real = Entry->getFileEntry().tryGetRealPathName();
    llvm::SmallString<256> Path(Real.empty() ? Entry->getName() : Real);
    llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
    It->second = isThirdParty(ThirdParty, Path);
  }
  return It->second;
}

} // namespace taskfit
