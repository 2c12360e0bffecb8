//===- RuleSet.cpp - Loading and validating rule packs --------------------===//

#include "taskfit/analysis/RuleSet.h"

#include "taskfit/analysis/Names.h"
#include "taskfit/analysis/Serialisability.h"
#include "taskfit/analysis/YamlErrors.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"

#include <algorithm>
#include <yaml-cpp/yaml.h>

#ifndef TASKFIT_SOURCE_RULES_DIR
#define TASKFIT_SOURCE_RULES_DIR ""
#endif

namespace taskfit {

namespace {

constexpr const char* Roles[] = {"event-loop", "strand", "io", "cpu", "generic", "process"};

constexpr const char* BlockingShape =
    "categories: [{name: <id>, description: <text>, replacement: <text>, apis: [{name: "
    "<qualified name> | names: [...], replacement: <text>, non-blocking-if: [<predicate>], "
    "blocking-only-if: [<predicate>]}]}]";
constexpr const char* PredicateShape =
    "{arg: <index>|last|this, is: zero} | {arg: ..., mentions: [<identifier>]} | "
    "{arg: ..., type: [<type>]} | {arg: ..., refers-to: [<variable>]}";
constexpr const char* ExecutorShape =
    "executors: [{name: <qualified name> | names: [...], library: <text>, role: "
    "event-loop|strand|io|cpu|generic|process, callable: <index>|last|template-<index>|[...], "
    "payload: [<index>]|rest, executor-arg: <index>, role-by-executor: [{type: <type>, role: "
    "<role>}], role-by-origin: [{call: <function>, role: <role>}], note: <text>}]";

class PackLoader {
public:
  PackLoader(YamlContext Ctx, RuleData& D) : Ctx(std::move(Ctx)), D(D) {}

  llvm::Error load(const YAML::Node& Root) {
    if (!Root.IsMap())
      return Ctx.error(Root, "a rule pack must be a mapping",
                       "version: 1, then categories / task-types / generator-types / "
                       "reactor-future-types / executors");
    for (const auto& Entry : Root) {
      std::string Key = Entry.first.as<std::string>();
      const YAML::Node& Value = Entry.second;
      llvm::Error Err = llvm::Error::success();
      if (Key == "version") {
        if (!Value.IsScalar() || Value.Scalar() != "1")
          Err = Ctx.error(Value, "unsupported rule pack version", "version: 1");
      } else if (Key == "categories") {
        Err = loadCategories(Value, D.Blocking, D.Categories);
      } else if (Key == "cpu-heavy") {
        Err = loadCategories(Value, D.CpuHeavy, D.CpuCategories);
      } else if (Key == "yield-points") {
        auto Names = stringList(Value, Key);
        if (!Names)
          return Names.takeError();
        D.YieldPoints.insert(D.YieldPoints.end(), Names->begin(), Names->end());
      } else if (Key == "task-types") {
        Err = loadTypes(Value, D.TaskTypes, Key);
      } else if (Key == "generator-types") {
        Err = loadTypes(Value, D.GeneratorTypes, Key);
      } else if (Key == "reactor-future-types") {
        Err = loadTypes(Value, D.ReactorFutureTypes, Key);
      } else if (Key == "executors") {
        Err = loadExecutors(Value);
      } else {
        Err = Ctx.error(
            Entry.first, "unknown key '" + Key + "'",
            "one of version, categories, cpu-heavy, yield-points, task-types, generator-types, "
            "reactor-future-types, executors");
      }
      if (Err)
        return Err;
    }
    return llvm::Error::success();
  }

private:
  llvm::Expected<std::string> scalar(const YAML::Node& N, llvm::StringRef What) {
    if (!N.IsScalar() || N.Scalar().empty())
      return Ctx.error(N, "expected a non-empty string for '" + What.str() + "'", What);
    return N.Scalar();
  }

  llvm::Expected<std::vector<std::string>> stringList(const YAML::Node& N, llvm::StringRef What) {
    std::vector<std::string> Out;
    if (N.IsScalar()) {
      Out.push_back(N.Scalar());
      return Out;
    }
    if (!N.IsSequence() || N.size() == 0)
      return Ctx.error(N, "expected a list of strings for '" + What.str() + "'",
                       "[name, name, ...]");
    for (const auto& Item : N) {
      auto S = scalar(Item, What);
      if (!S)
        return S.takeError();
      Out.push_back(*S);
    }
    return Out;
  }

  /// `name: x` or `names: [x, y]`, exactly one of them.
  llvm::Expected<std::vector<std::string>> names(const YAML::Node& Entry) {
    const YAML::Node Name = Entry["name"], Names = Entry["names"];
    if (Name && Names)
      return Ctx.error(Entry, "give either 'name' or 'names', not both", "name: <qualified name>");
    if (Name) {
      auto S = scalar(Name, "name");
      if (!S)
        return S.takeError();
      return std::vector<std::string>{*S};
    }
    if (Names)
      return stringList(Names, "names");
    return Ctx.error(Entry, "entry has no 'name'", "name: <qualified name> | names: [...]");
  }

  llvm::Expected<ArgRef> argRef(const YAML::Node& N) {
    if (!N.IsScalar())
      return Ctx.error(N, "expected an argument reference",
                       "<index> | last | this | template-<index>");
    llvm::StringRef S = N.Scalar();
    ArgRef Ref;
    unsigned Index = 0;
    if (S == "last")
      Ref.K = ArgRef::Kind::Last;
    else if (S == "this")
      Ref.K = ArgRef::Kind::This;
    else if (S.consume_front("template-") && !S.getAsInteger(10, Index))
      Ref = {ArgRef::Kind::TemplateIndex, Index};
    else if (!S.getAsInteger(10, Index))
      Ref = {ArgRef::Kind::Index, Index};
    else
      return Ctx.error(N, "bad argument reference '" + N.Scalar() + "'",
                       "<index> | last | this | template-<index>");
    return Ref;
  }

  llvm::Error checkKeys(const YAML::Node& Map, std::initializer_list<llvm::StringRef> Allowed,
                        llvm::StringRef Shape) {
    if (!Map.IsMap())
      return Ctx.error(Map, "expected a mapping", Shape);
    for (const auto& Entry : Map) {
      std::string Key = Entry.first.Scalar();
      if (std::find(Allowed.begin(), Allowed.end(), Key) == Allowed.end())
        return Ctx.error(Entry.first, "unknown key '" + Key + "'", Shape);
    }
    return llvm::Error::success();
  }

  llvm::Expected<std::vector<ArgPredicate>> predicates(const YAML::Node& N) {
    std::vector<ArgPredicate> Out;
    if (!N.IsSequence())
      return Ctx.error(N, "expected a list of predicates", PredicateShape);
    for (const auto& Item : N) {
      if (auto Err =
              checkKeys(Item, {"arg", "is", "mentions", "type", "refers-to"}, PredicateShape))
        return std::move(Err);
      if (!Item["arg"])
        return Ctx.error(Item, "predicate has no 'arg'", PredicateShape);
      auto Arg = argRef(Item["arg"]);
      if (!Arg)
        return Arg.takeError();
      ArgPredicate P;
      P.Arg = *Arg;
      int Forms = 0;
      if (const YAML::Node Is = Item["is"]) {
        ++Forms;
        if (!Is.IsScalar() || Is.Scalar() != "zero")
          return Ctx.error(Is, "unknown 'is' predicate", "is: zero");
        P.K = ArgPredicate::Kind::IsZero;
      }
      auto ListForm = [&](const char* Key, ArgPredicate::Kind K) -> llvm::Error {
        if (const YAML::Node L = Item[Key]) {
          ++Forms;
          auto Names = stringList(L, Key);
          if (!Names)
            return Names.takeError();
          P.K = K;
          P.Names = std::move(*Names);
        }
        return llvm::Error::success();
      };
      if (auto Err = ListForm("mentions", ArgPredicate::Kind::Mentions))
        return std::move(Err);
      if (auto Err = ListForm("type", ArgPredicate::Kind::HasType))
        return std::move(Err);
      if (auto Err = ListForm("refers-to", ArgPredicate::Kind::RefersTo))
        return std::move(Err);
      if (Forms != 1)
        return Ctx.error(Item, "a predicate needs exactly one of is, mentions, type, refers-to",
                         PredicateShape);
      Out.push_back(std::move(P));
    }
    return Out;
  }

  llvm::Error loadCategories(const YAML::Node& N, std::vector<BlockingRule>& Into,
                             std::vector<CategoryInfo>& Categories) {
    if (!N.IsSequence())
      return Ctx.error(N, "expected a list of categories", BlockingShape);
    for (const auto& Cat : N) {
      if (auto Err = checkKeys(Cat, {"name", "description", "replacement", "apis"}, BlockingShape))
        return Err;
      auto Name = scalar(Cat["name"], "name");
      if (!Name)
        return Name.takeError();
      std::string Description, DefaultReplacement;
      if (Cat["description"]) {
        auto D = scalar(Cat["description"], "description");
        if (!D)
          return D.takeError();
        Description = *D;
      }
      if (Cat["replacement"]) {
        auto R = scalar(Cat["replacement"], "replacement");
        if (!R)
          return R.takeError();
        DefaultReplacement = *R;
      }
      Categories.push_back({*Name, Description});
      const YAML::Node Apis = Cat["apis"];
      if (!Apis || !Apis.IsSequence())
        return Ctx.error(Apis ? Apis : Cat, "category '" + *Name + "' needs a list 'apis'",
                         BlockingShape);
      for (const auto& Api : Apis) {
        if (auto Err = checkKeys(
                Api,
                {"name", "names", "replacement", "non-blocking-if", "blocking-only-if", "note"},
                BlockingShape))
          return Err;
        auto ApiNames = names(Api);
        if (!ApiNames)
          return ApiNames.takeError();
        BlockingRule Rule;
        Rule.Category = *Name;
        Rule.Replacement = DefaultReplacement;
        if (Api["replacement"]) {
          auto R = scalar(Api["replacement"], "replacement");
          if (!R)
            return R.takeError();
          Rule.Replacement = *R;
        }
        if (Rule.Replacement.empty())
          return Ctx.error(Api, "no replacement hint for this API or its category",
                           "replacement: <the async alternative>");
        if (Api["non-blocking-if"]) {
          auto P = predicates(Api["non-blocking-if"]);
          if (!P)
            return P.takeError();
          Rule.NonBlockingIf = std::move(*P);
        }
        if (Api["blocking-only-if"]) {
          auto P = predicates(Api["blocking-only-if"]);
          if (!P)
            return P.takeError();
          Rule.BlockingOnlyIf = std::move(*P);
        }
        for (const std::string& ApiName : *ApiNames) {
          Rule.Name = ApiName;
          Into.push_back(Rule);
        }
      }
    }
    return llvm::Error::success();
  }

  llvm::Error loadTypes(const YAML::Node& N, std::vector<TypeRule>& Out, llvm::StringRef Key) {
    std::string Shape = Key.str() + ": [{name: <qualified type name>, library: <text>}]";
    if (!N.IsSequence())
      return Ctx.error(N, "expected a list for '" + Key.str() + "'", Shape);
    for (const auto& Item : N) {
      if (Item.IsScalar()) {
        Out.push_back({Item.Scalar(), ""});
        continue;
      }
      if (auto Err = checkKeys(Item, {"name", "library", "note"}, Shape))
        return Err;
      auto Name = scalar(Item["name"], "name");
      if (!Name)
        return Name.takeError();
      Out.push_back({*Name, Item["library"] ? Item["library"].Scalar() : ""});
    }
    return llvm::Error::success();
  }

  llvm::Expected<std::string> role(const YAML::Node& N) {
    auto R = scalar(N, "role");
    if (!R)
      return R.takeError();
    if (std::find(std::begin(Roles), std::end(Roles), *R) == std::end(Roles))
      return Ctx.error(N, "unknown role '" + *R + "'",
                       "role: event-loop|strand|io|cpu|generic|process");
    return *R;
  }

  /// payload-kind, payload-type and boundary-if: how a process boundary's payload travels.
  llvm::Error loadBoundaryKeys(const YAML::Node& Item, ExecutorRule& Rule) {
    const char* Shape = "payload-kind: values|bytes, payload-type: template-<index>, "
                        "boundary-if: [{arg: <index>, from: [<function>], mentions: [<name>]}]";
    if (const YAML::Node Kind = Item["payload-kind"]) {
      if (!Kind.IsScalar() || (Kind.Scalar() != "values" && Kind.Scalar() != "bytes"))
        return Ctx.error(Kind, "bad 'payload-kind'", Shape);
      Rule.PayloadBytes = Kind.Scalar() == "bytes";
    }
    if (const YAML::Node Type = Item["payload-type"]) {
      auto A = argRef(Type);
      if (!A)
        return A.takeError();
      if (A->K != ArgRef::Kind::TemplateIndex)
        return Ctx.error(Type, "'payload-type' names a template argument", Shape);
      Rule.PayloadTemplate = A->Index;
    }
    if (const YAML::Node If = Item["boundary-if"]) {
      if (!If.IsSequence())
        return Ctx.error(If, "expected a list of conditions", Shape);
      for (const auto& C : If) {
        if (auto Err = checkKeys(C, {"arg", "from", "mentions"}, Shape))
          return Err;
        if (!C["arg"] || !C["from"])
          return Ctx.error(C, "a condition needs 'arg' and 'from'", Shape);
        auto A = argRef(C["arg"]);
        if (!A)
          return A.takeError();
        auto From = stringList(C["from"], "from");
        if (!From)
          return From.takeError();
        ExecutorRule::Origin O{*A, std::move(*From), {}};
        if (C["mentions"]) {
          auto M = stringList(C["mentions"], "mentions");
          if (!M)
            return M.takeError();
          O.Mentions = std::move(*M);
        }
        Rule.BoundaryIf.push_back(std::move(O));
      }
    }
    if ((Rule.PayloadBytes || Rule.PayloadTemplate || !Rule.BoundaryIf.empty()) &&
        Rule.Role != "process")
      return Ctx.error(Item, "payload-kind, payload-type and boundary-if are for role: process",
                       Shape);
    return llvm::Error::success();
  }

  llvm::Error loadExecutors(const YAML::Node& N) {
    if (!N.IsSequence())
      return Ctx.error(N, "expected a list of executors", ExecutorShape);
    for (const auto& Item : N) {
      if (auto Err = checkKeys(Item,
                               {"name", "names", "library", "role", "callable", "payload",
                                "executor-arg", "role-by-executor", "role-by-origin", "note",
                                "payload-kind", "payload-type", "boundary-if"},
                               ExecutorShape))
        return Err;
      auto Names = names(Item);
      if (!Names)
        return Names.takeError();
      ExecutorRule Rule;
      if (Item["library"])
        Rule.Library = Item["library"].Scalar();
      if (Item["note"])
        Rule.Note = Item["note"].Scalar();
      if (!Item["role"])
        return Ctx.error(Item, "executor entry has no 'role'", ExecutorShape);
      auto R = role(Item["role"]);
      if (!R)
        return R.takeError();
      Rule.Role = *R;
      const YAML::Node Callable = Item["callable"];
      if (!Callable)
        return Ctx.error(Item, "executor entry has no 'callable'", ExecutorShape);
      // A process boundary that carries only data (`write`, `memcpy`, `MPI_Send`).
      if (Callable.IsScalar() && Callable.Scalar() == "none") {
        if (Rule.Role != "process")
          return Ctx.error(Callable, "only a process boundary may have 'callable: none'",
                           "role: process");
      } else if (Callable.IsSequence()) {
        for (const auto& C : Callable) {
          auto A = argRef(C);
          if (!A)
            return A.takeError();
          Rule.Callables.push_back(*A);
        }
      } else {
        auto A = argRef(Callable);
        if (!A)
          return A.takeError();
        Rule.Callables.push_back(*A);
      }
      if (const YAML::Node Payload = Item["payload"]) {
        if (Payload.IsScalar() && Payload.Scalar() == "rest") {
          Rule.PayloadRest = true;
        } else if (Payload.IsSequence()) {
          for (const auto& P : Payload) {
            unsigned Index;
            if (!P.IsScalar() || llvm::StringRef(P.Scalar()).getAsInteger(10, Index))
              return Ctx.error(P, "expected an argument index", "payload: [<index>, ...] | rest");
            Rule.Payload.push_back(Index);
          }
        } else {
          return Ctx.error(Payload, "bad 'payload'", "payload: [<index>, ...] | rest");
        }
      }
      if (const YAML::Node Exec = Item["executor-arg"]) {
        auto A = argRef(Exec);
        if (!A)
          return A.takeError();
        Rule.ExecutorArg = *A;
      }
      if (const YAML::Node ByExec = Item["role-by-executor"]) {
        const char* Shape = "role-by-executor: [{type: <type>, role: <role>}]";
        if (!ByExec.IsSequence())
          return Ctx.error(ByExec, "expected a list", Shape);
        for (const auto& Entry : ByExec) {
          if (auto Err = checkKeys(Entry, {"type", "role"}, Shape))
            return Err;
          auto Type = scalar(Entry["type"], "type");
          if (!Type)
            return Type.takeError();
          auto ER = role(Entry["role"]);
          if (!ER)
            return ER.takeError();
          Rule.RoleByExecutor.emplace_back(*Type, *ER);
        }
        if (!Rule.ExecutorArg)
          return Ctx.error(ByExec, "'role-by-executor' needs 'executor-arg'", ExecutorShape);
      }
      if (const YAML::Node ByOrigin = Item["role-by-origin"]) {
        const char* Shape =
            "role-by-origin: [{call: <function that makes the executor>, role: <role>}]";
        if (!ByOrigin.IsSequence())
          return Ctx.error(ByOrigin, "expected a list", Shape);
        for (const auto& Entry : ByOrigin) {
          if (auto Err = checkKeys(Entry, {"call", "role"}, Shape))
            return Err;
          auto Call = scalar(Entry["call"], "call");
          if (!Call)
            return Call.takeError();
          auto OR = role(Entry["role"]);
          if (!OR)
            return OR.takeError();
          Rule.RoleByOrigin.emplace_back(*Call, *OR);
        }
      }
      if (auto Err = loadBoundaryKeys(Item, Rule))
        return Err;
      for (const std::string& Name : *Names) {
        Rule.Name = Name;
        D.Executors.push_back(Rule);
      }
    }
    return llvm::Error::success();
  }

  YamlContext Ctx;
  RuleData& D;
};

} // namespace

llvm::Error RuleSet::loadFile(llvm::StringRef Path) {
  auto Text = readYamlFile(Path, "rule pack");
  if (!Text)
    return Text.takeError();
  return loadString(*Text, Path);
}

llvm::Error RuleSet::loadString(llvm::StringRef Text, llvm::StringRef Path) {
  // Load into a copy so that a pack failing half-way leaves the set unchanged.
  RuleData Loaded = Data;
  if (auto Err = loadYaml(Text, Path, [&](const YamlContext& Ctx, const YAML::Node& Root) {
        return PackLoader(Ctx, Loaded).load(Root);
      }))
    return Err;
  Data = std::move(Loaded);
  Files.push_back(Path.str());
  index();
  return llvm::Error::success();
}

/// Exact names go to a map; names with `*` are globs, tried one by one.
template <typename Rule>
static void indexByName(const std::vector<Rule>& Rules,
                        llvm::StringMap<std::vector<size_t>>& ByName, std::vector<size_t>& Globs) {
  ByName.clear();
  Globs.clear();
  for (size_t I = 0; I < Rules.size(); ++I) {
    if (llvm::StringRef(Rules[I].Name).contains('*'))
      Globs.push_back(I);
    else
      ByName[Rules[I].Name].push_back(I);
  }
}

void RuleSet::index() {
  indexByName(Data.Blocking, BlockingByName, BlockingGlobs);
  indexByName(Data.CpuHeavy, CpuHeavyByName, CpuHeavyGlobs);
  indexByName(Data.Executors, ExecutorsByName, ExecutorGlobs);
}

template <typename Rule>
static std::vector<const Rule*> lookup(const std::vector<Rule>& Rules,
                                       const llvm::StringMap<std::vector<size_t>>& ByName,
                                       const std::vector<size_t>& Globs, llvm::StringRef Name) {
  std::vector<size_t> Hits;
  if (auto It = ByName.find(Name); It != ByName.end())
    Hits = It->second;
  for (size_t I : Globs)
    if (globMatch(Rules[I].Name, Name))
      Hits.push_back(I);
  std::sort(Hits.begin(), Hits.end()); // Load order decides between several matches.
  std::vector<const Rule*> Out;
  for (size_t I : Hits)
    Out.push_back(&Rules[I]);
  return Out;
}

std::vector<const BlockingRule*> RuleSet::blockingRulesFor(llvm::StringRef Name) const {
  return lookup(Data.Blocking, BlockingByName, BlockingGlobs, Name);
}

std::vector<const BlockingRule*> RuleSet::cpuHeavyRulesFor(llvm::StringRef Name) const {
  return lookup(Data.CpuHeavy, CpuHeavyByName, CpuHeavyGlobs, Name);
}

bool RuleSet::isYieldPoint(llvm::StringRef Name) const {
  for (const std::string& Pattern : Data.YieldPoints)
    if (Pattern == Name || (llvm::StringRef(Pattern).contains('*') && globMatch(Pattern, Name)))
      return true;
  return false;
}

std::vector<const ExecutorRule*> RuleSet::executorRulesFor(llvm::StringRef Name) const {
  return lookup(Data.Executors, ExecutorsByName, ExecutorGlobs, Name);
}

std::string defaultRulesDir(llvm::StringRef Argv0) {
  if (auto Env = llvm::sys::Process::GetEnv("TASKFIT_RULES_DIR"))
    return *Env;
  std::string Exe = llvm::sys::fs::getMainExecutable(Argv0.str().c_str(),
                                                     reinterpret_cast<void*>(&defaultRulesDir));
  if (!Exe.empty()) {
    llvm::SmallString<256> Installed(
        llvm::sys::path::parent_path(llvm::sys::path::parent_path(Exe)));
    llvm::sys::path::append(Installed, "share", "taskfit", "rules");
    if (llvm::sys::fs::is_directory(Installed))
      return std::string(Installed);
  }
  return TASKFIT_SOURCE_RULES_DIR;
}

bool isSeparatelyLoadedPack(llvm::StringRef FileName) {
  return FileName == "decision-matrix.yaml" || FileName == "serialisation.yaml";
}

llvm::Error loadRuleSet(RuleSet& Rules, llvm::StringRef Dir,
                        const std::vector<std::string>& Extra) {
  std::vector<std::string> Packs;
  std::error_code EC;
  for (llvm::sys::fs::directory_iterator It(Dir, EC), End; It != End && !EC; It.increment(EC))
    if (llvm::sys::path::extension(It->path()) == ".yaml" &&
        !isSeparatelyLoadedPack(llvm::sys::path::filename(It->path())))
      Packs.push_back(It->path());
  if (EC || Packs.empty())
    return llvm::createStringError(std::errc::no_such_file_or_directory,
                                   "%s: error: no rule packs found in this folder (set "
                                   "--rules-dir or TASKFIT_RULES_DIR)",
                                   Dir.str().c_str());
  std::sort(Packs.begin(), Packs.end());
  Packs.insert(Packs.end(), Extra.begin(), Extra.end());
  for (const std::string& Pack : Packs)
    if (auto Err = Rules.loadFile(Pack))
      return Err;
  auto Serialisation = std::make_shared<SerialisationRules>();
  if (auto Err = loadSerialisationRules(*Serialisation, Dir))
    return Err;
  Rules.setSerialisation(std::move(Serialisation));
  return llvm::Error::success();
}

} // namespace taskfit
