//===- FactsCache.cpp -----------------------------------------------------===//

#include "extract/FactsCache.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/BLAKE3.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

namespace taskfit {
namespace {

/// Hashes a sequence of strings without ambiguity: each is length-prefixed.
class KeyHasher {
public:
  void add(llvm::StringRef Text) {
    uint64_t Size = Text.size();
    Hasher.update(llvm::ArrayRef(reinterpret_cast<const uint8_t*>(&Size), sizeof Size));
    Hasher.update(llvm::arrayRefFromStringRef(Text));
  }
  std::string hex() { return llvm::toHex(Hasher.final(), /*LowerCase=*/true); }

private:
  llvm::BLAKE3 Hasher;
};

constexpr llvm::StringLiteral CacheDirTag =
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This folder is a cache of taskfit's per-file facts; it can be deleted at any time.\n";

} // namespace

llvm::Expected<FactsCache> FactsCache::open(llvm::StringRef Dir, std::string Identity) {
  llvm::SmallString<256> Abs(Dir);
  llvm::sys::fs::make_absolute(Abs);
  if (std::error_code EC = llvm::sys::fs::create_directories(Abs))
    return llvm::createStringError(EC, "cannot create the cache folder '%s': %s", Abs.c_str(),
                                   EC.message().c_str());
  // Backup and archiving tools skip folders holding this tag (bford.info/cachedir).
  llvm::SmallString<256> Tag(Abs);
  llvm::sys::path::append(Tag, "CACHEDIR.TAG");
  if (!llvm::sys::fs::exists(Tag)) {
    std::error_code EC;
    llvm::raw_fd_ostream(Tag, EC) << CacheDirTag;
  }
  return FactsCache(std::string(Abs), std::move(Identity));
}

std::string FactsCache::contentHash(llvm::StringRef Path) {
  auto [It, Inserted] = Hashes.try_emplace(Path);
  if (Inserted)
    if (auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false,
                                                  /*RequiresNullTerminator=*/false))
      It->second =
          llvm::toHex(llvm::BLAKE3::hash(llvm::arrayRefFromStringRef((*Buffer)->getBuffer())),
                      /*LowerCase=*/true);
  return It->second;
}

std::string FactsCache::key(const CompileJob& Job, const std::vector<std::string>& Arguments,
                            const std::vector<std::string>& ShapingFiles) {
  KeyHasher Key;
  Key.add(Identity);
  Key.add(Job.File);
  Key.add(Job.Directory);
  Key.add(std::to_string(Arguments.size()));
  for (const std::string& Arg : Arguments)
    Key.add(Arg);
  for (const std::string& File : ShapingFiles) {
    Key.add(File);
    Key.add(contentHash(File));
  }
  return Key.hex();
}

std::string FactsCache::entryPath(llvm::StringRef Key) const {
  llvm::SmallString<256> Path(Dir);
  llvm::sys::path::append(Path, Key.take_front(2), Key.drop_front(2) + ".json");
  return std::string(Path);
}

std::optional<TUFacts> FactsCache::lookup(llvm::StringRef Key) {
  auto Buffer = llvm::MemoryBuffer::getFile(entryPath(Key), /*IsText=*/true);
  if (!Buffer)
    return std::nullopt;
  auto Entry = llvm::json::parse((*Buffer)->getBuffer());
  if (!Entry) {
    llvm::consumeError(Entry.takeError()); // A torn or foreign file: a miss.
    return std::nullopt;
  }
  const llvm::json::Object* Root = Entry->getAsObject();
  const llvm::json::Object* Inputs = Root ? Root->getObject("inputs") : nullptr;
  const llvm::json::Value* FactsJson = Root ? Root->get("facts") : nullptr;
  if (!Inputs || !FactsJson)
    return std::nullopt;
  for (const auto& [Path, Hash] : *Inputs) {
    std::optional<llvm::StringRef> Expected = Hash.getAsString();
    if (!Expected || contentHash(Path) != *Expected)
      return std::nullopt;
  }
  auto Facts = factsFromJSON(*FactsJson);
  if (!Facts) {
    llvm::consumeError(Facts.takeError()); // Another facts version: a miss.
    return std::nullopt;
  }
  return std::move(*Facts);
}

llvm::Error FactsCache::store(llvm::StringRef Key, const TUFacts& Facts) {
  if (!Facts.Complete)
    return llvm::Error::success();
  llvm::json::Object Inputs;
  for (const std::string& Input : Facts.Inputs) {
    std::string Hash = contentHash(Input);
    if (Hash.empty())
      return llvm::Error::success(); // An input vanished: nothing reusable to keep.
    Inputs[Input] = std::move(Hash);
  }
  std::string Path = entryPath(Key);
  llvm::StringRef Folder = llvm::sys::path::parent_path(Path);
  if (std::error_code EC = llvm::sys::fs::create_directories(Folder))
    return llvm::createStringError(EC, "cannot write to the cache folder '%s': %s",
                                   Folder.str().c_str(), EC.message().c_str());
  int Fd;
  llvm::SmallString<256> Temporary;
  if (std::error_code EC = llvm::sys::fs::createUniqueFile(Path + ".%%%%%%%%.tmp", Fd, Temporary))
    return llvm::createStringError(EC, "cannot write to the cache folder '%s': %s",
                                   Folder.str().c_str(), EC.message().c_str());
  {
    llvm::raw_fd_ostream OS(Fd, /*shouldClose=*/true);
    OS << llvm::json::Value(
        llvm::json::Object{{"inputs", std::move(Inputs)}, {"facts", toJSON(Facts)}});
    if (OS.has_error()) {
      OS.clear_error();
      llvm::sys::fs::remove(Temporary);
      return llvm::createStringError("cannot write the cache entry '%s'", Temporary.c_str());
    }
  }
  if (std::error_code EC = llvm::sys::fs::rename(Temporary, Path)) {
    llvm::sys::fs::remove(Temporary);
    return llvm::createStringError(EC, "cannot write the cache entry '%s': %s", Path.c_str(),
                                   EC.message().c_str());
  }
  return llvm::Error::success();
}

} // namespace taskfit
