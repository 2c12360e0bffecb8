//===- SourceFiles.cpp ----------------------------------------------------===//

#include "taskfit/analysis/SourceFiles.h"

#include "llvm/ADT/SmallString.h"
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

} // namespace taskfit
