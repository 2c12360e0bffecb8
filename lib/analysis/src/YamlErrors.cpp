//===- YamlErrors.cpp -----------------------------------------------------===//

#include "taskfit/analysis/YamlErrors.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"

namespace taskfit {

static std::string position(const std::string& File, const YAML::Mark& Mark) {
  if (Mark.is_null())
    return File;
  return llvm::formatv("{0}:{1}:{2}", File, Mark.line + 1, Mark.column + 1).str();
}

llvm::Expected<std::string> readYamlFile(llvm::StringRef Path, llvm::StringRef What) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buffer)
    return llvm::createStringError(Buffer.getError(), "%s: error: cannot read %s: %s",
                                   Path.str().c_str(), What.str().c_str(),
                                   Buffer.getError().message().c_str());
  return (*Buffer)->getBuffer().str();
}

llvm::Expected<YAML::Node> YamlContext::parse(llvm::StringRef Text) const {
  try {
    return YAML::Load(Text.str());
  } catch (const YAML::Exception& E) {
    return llvm::createStringError(std::errc::invalid_argument, "%s: error: %s",
                                   position(File, E.mark).c_str(), E.msg.c_str());
  }
}

llvm::Error YamlContext::error(const YAML::Node& Node, const llvm::Twine& Message,
                               llvm::StringRef Shape) const {
  YAML::Mark Mark = Node.IsDefined() ? Node.Mark() : YAML::Mark::null_mark();
  std::string Text = position(File, Mark) + ": error: " + Message.str();
  if (!Shape.empty())
    Text += " (expected: " + Shape.str() + ")";
  return llvm::createStringError(std::errc::invalid_argument, "%s", Text.c_str());
}

llvm::Error YamlContext::guard(const std::function<llvm::Error()>& Body) const {
  try {
    return Body();
  } catch (const YAML::Exception& E) {
    return llvm::createStringError(std::errc::invalid_argument, "%s: error: %s",
                                   position(File, E.mark).c_str(), E.msg.c_str());
  }
}

llvm::Error
loadYaml(llvm::StringRef Text, llvm::StringRef File,
         const std::function<llvm::Error(const YamlContext&, const YAML::Node&)>& Load) {
  YamlContext Ctx{File.str()};
  auto Root = Ctx.parse(Text);
  if (!Root)
    return Root.takeError();
  return Ctx.guard([&] { return Load(Ctx, *Root); });
}

} // namespace taskfit
