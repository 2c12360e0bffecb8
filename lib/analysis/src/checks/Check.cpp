//===- Check.cpp ----------------------------------------------------------===//

#include "checks/Check.h"

#include <cassert>

namespace taskfit {

FindingBuilder::~FindingBuilder() {
  assert(!F.FingerprintKey.empty() && "every finding needs a fingerprint");
  // The line of a macro's use does not show the call its body makes.
  if (!F.Loc.Macro.empty())
    F.Context.insert(F.Context.begin(), {F.Loc, "expanded from macro '" + F.Loc.Macro + "'"});
  Out.push_back(std::move(F));
}

FindingBuilder& FindingBuilder::level(Level L) {
  F.Severity = L;
  return *this;
}

FindingBuilder& FindingBuilder::step(SourceLoc Loc, std::string Message) {
  F.Trace.push_back({std::move(Loc), std::move(Message)});
  return *this;
}

FindingBuilder& FindingBuilder::steps(const std::vector<FindingStep>& Steps) {
  llvm::append_range(F.Trace, Steps);
  return *this;
}

FindingBuilder& FindingBuilder::related(const std::vector<FindingStep>& Steps) {
  llvm::append_range(F.Context, Steps);
  return *this;
}

FindingBuilder& FindingBuilder::context(const std::vector<FindingStep>& Steps) {
  llvm::append_range(F.Context, Steps);
  return *this;
}

FindingBuilder& FindingBuilder::fingerprint(std::initializer_list<llvm::StringRef> Parts) {
  F.FingerprintKey = F.CheckId;
  for (llvm::StringRef Part : Parts)
    F.FingerprintKey += "|" + Part.str();
  return *this;
}

std::vector<Finding> Check::run(const CheckContext& Running) {
  Context = &Running;
  Found.clear();
  check(Running);
  Context = nullptr;
  return std::move(Found);
}

const std::vector<std::string>* Check::option(llvm::StringRef File, llvm::StringRef Name) const {
  assert(llvm::any_of(Info.Options, [&](const CheckOption& O) { return O.Name == Name; }) &&
         "options are declared in the check's CheckInfo");
  return Context->ConfigFor(File).option(Info.Id, Name);
}

FindingBuilder Check::report(const SourceLoc& Loc, std::string Message) {
  Finding F;
  F.CheckId = Info.Id;
  F.Severity = Info.DefaultLevel;
  F.Loc = Loc;
  F.Message = std::move(Message);
  return FindingBuilder(std::move(F), Found);
}

} // namespace taskfit
