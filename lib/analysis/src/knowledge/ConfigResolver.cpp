//===- ConfigResolver.cpp -------------------------------------------------===//

#include "knowledge/ConfigResolver.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <algorithm>

namespace taskfit {

ConfigResolver::ConfigResolver(std::shared_ptr<const Config> Fixed)
    : Fixed(std::move(Fixed)), Defaults(std::make_shared<Config>()) {}

llvm::Expected<std::shared_ptr<const Config>> ConfigResolver::forFile(llvm::StringRef Path) {
  if (Fixed)
    return Fixed;
  return forDirectory(llvm::sys::path::parent_path(Path));
}

llvm::Expected<std::shared_ptr<const Config>> ConfigResolver::forDirectory(llvm::StringRef Dir) {
  if (Dir.empty())
    return Defaults;
  {
    std::lock_guard<std::mutex> Guard(Lock);
    if (auto It = ByDirectory.find(Dir); It != ByDirectory.end())
      return It->second;
  }
  llvm::SmallString<256> Candidate(Dir);
  llvm::sys::path::append(Candidate, ConfigFileName);
  std::shared_ptr<const Config> Found;
  if (llvm::sys::fs::exists(Candidate)) {
    auto Loaded = loadConfigFile(Candidate);
    if (!Loaded)
      return Loaded.takeError();
    Found = std::make_shared<Config>(std::move(*Loaded));
  } else {
    llvm::StringRef Parent = llvm::sys::path::parent_path(Dir);
    if (Parent == Dir || Parent.empty()) {
      Found = Defaults;
    } else {
      auto Up = forDirectory(Parent);
      if (!Up)
        return Up.takeError();
      Found = *Up;
    }
  }
  std::lock_guard<std::mutex> Guard(Lock);
  ByDirectory[Dir] = Found;
  return Found;
}

std::vector<std::shared_ptr<const Config>> ConfigResolver::loaded() const {
  std::lock_guard<std::mutex> Guard(Lock);
  std::vector<std::shared_ptr<const Config>> Out;
  if (Fixed)
    Out.push_back(Fixed);
  for (const auto& Entry : ByDirectory)
    if (Entry.second != Defaults && std::find(Out.begin(), Out.end(), Entry.second) == Out.end())
      Out.push_back(Entry.second);
  std::sort(Out.begin(), Out.end(), [](const auto& A, const auto& B) { return A->Path < B->Path; });
  return Out;
}

} // namespace taskfit
