//===- YamlReader.cpp -----------------------------------------------------===//

#include "knowledge/YamlReader.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"

namespace taskfit {

static std::string position(const std::string& File, const YAML::Mark& Mark) {
  if (Mark.is_null())
    return File;
  return llvm::formatv("{0}:{1}:{2}", File, Mark.line + 1, Mark.column + 1).str();
}

static llvm::Error yamlCppError(const std::string& File, const YAML::Exception& E) {
  return llvm::createStringError(std::errc::invalid_argument, "%s: error: %s",
                                 position(File, E.mark).c_str(), E.msg.c_str());
}

llvm::Error YamlReader::error(const YAML::Node& Node, const llvm::Twine& Message,
                              llvm::StringRef Shape) const {
  // A key that is absent from its mapping has no position (yaml-cpp throws on asking).
  YAML::Mark Mark = Node.IsDefined() ? Node.Mark() : YAML::Mark::null_mark();
  std::string Text = position(File, Mark) + ": error: " + Message.str();
  if (!Shape.empty())
    Text += " (expected: " + Shape.str() + ")";
  return llvm::createStringError(std::errc::invalid_argument, "%s", Text.c_str());
}

llvm::Expected<std::string> YamlReader::scalar(const YAML::Node& Node, llvm::StringRef Key,
                                               llvm::StringRef Shape) const {
  if (!Node.IsDefined() || !Node.IsScalar() || Node.Scalar().empty())
    return error(Node, "expected a non-empty string for '" + Key + "'",
                 Shape.empty() ? Key : Shape);
  return Node.Scalar();
}

llvm::Expected<std::string> YamlReader::oneOf(const YAML::Node& Node, llvm::StringRef Key,
                                              llvm::ArrayRef<llvm::StringRef> Allowed,
                                              llvm::StringRef Shape) const {
  auto Value = scalar(Node, Key, Shape);
  if (!Value)
    return Value.takeError();
  if (!llvm::is_contained(Allowed, *Value))
    return error(Node, "unknown " + Key + " '" + *Value + "'", Shape);
  return Value;
}

llvm::Expected<bool> YamlReader::flag(const YAML::Node& Node, llvm::StringRef Key) const {
  if (!Node.IsDefined())
    return false;
  if (Node.IsScalar() && (Node.Scalar() == "true" || Node.Scalar() == "false"))
    return Node.Scalar() == "true";
  return error(Node, "expected true or false for '" + Key + "'", (Key + ": true").str());
}

llvm::Expected<unsigned> YamlReader::natural(const YAML::Node& Node, unsigned Min,
                                             llvm::StringRef Message, llvm::StringRef Shape) const {
  unsigned Value = 0;
  if (!Node.IsDefined() || !Node.IsScalar() ||
      llvm::StringRef(Node.Scalar()).getAsInteger(10, Value) || Value < Min)
    return error(Node, Message, Shape);
  return Value;
}

llvm::Expected<std::vector<std::string>>
YamlReader::strings(const YAML::Node& Node, llvm::StringRef Key, ListForm Form) const {
  std::vector<std::string> Out;
  if (Form != ListForm::Sequence && Node.IsDefined() && Node.IsScalar()) {
    Out.push_back(Node.Scalar());
    return Out;
  }
  if (!Node.IsDefined() || !Node.IsSequence() || (Form == ListForm::NonEmpty && Node.size() == 0))
    return error(Node, "expected a list of strings for '" + Key + "'", "[name, name, ...]");
  for (const YAML::Node& Item : Node) {
    auto Text = scalar(Item, Key);
    if (!Text)
      return Text.takeError();
    Out.push_back(std::move(*Text));
  }
  return Out;
}

llvm::Expected<std::vector<std::string>> YamlReader::names(const YAML::Node& Entry,
                                                           llvm::StringRef NameShape) const {
  const YAML::Node Name = Entry["name"], Names = Entry["names"];
  if (Name && Names)
    return error(Entry, "give either 'name' or 'names', not both", ("name: " + NameShape).str());
  if (Name) {
    auto Text = scalar(Name, "name");
    if (!Text)
      return Text.takeError();
    return std::vector<std::string>{*Text};
  }
  if (Names)
    return strings(Names, "names", ListForm::NonEmpty);
  return error(Entry, "entry has no 'name'", ("name: " + NameShape + " | names: [...]").str());
}

llvm::Error YamlReader::keys(const YAML::Node& Map, llvm::ArrayRef<llvm::StringRef> Allowed,
                             llvm::StringRef Shape) const {
  if (!Map.IsDefined() || !Map.IsMap())
    return error(Map, "expected a mapping", Shape);
  for (const auto& Entry : Map) {
    std::string Key = Entry.first.Scalar();
    if (!llvm::is_contained(Allowed, Key))
      return error(Entry.first, "unknown key '" + Key + "'", Shape);
  }
  return llvm::Error::success();
}

llvm::Error YamlReader::version(const YAML::Node& Node, llvm::StringRef What) const {
  if (!Node.IsScalar() || Node.Scalar() != "1")
    return error(Node, "unsupported " + What + " version", "version: 1");
  return llvm::Error::success();
}

llvm::Expected<std::string> readYamlFile(llvm::StringRef Path, llvm::StringRef What) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buffer)
    return llvm::createStringError(Buffer.getError(), "%s: error: cannot read %s: %s",
                                   Path.str().c_str(), What.str().c_str(),
                                   Buffer.getError().message().c_str());
  return (*Buffer)->getBuffer().str();
}

llvm::Error loadYaml(llvm::StringRef Text, llvm::StringRef File, YamlLoad Load) {
  YamlReader Reader(File.str());
  try {
    YAML::Node Root = YAML::Load(Text.str());
    return Load(Reader, Root);
  } catch (const YAML::Exception& E) {
    return yamlCppError(Reader.file(), E);
  }
}

} // namespace taskfit
