//===- RuleSet.cpp - Loading and validating rule packs --------------------===//

#include "knowledge/RuleSet.h"

#include "knowledge/SerialisationRules.h"
#include "knowledge/YamlReader.h"
#include "taskfit/analysis/Analysis.h"

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

constexpr const char* BlockingShape =
    "categories: [{name: <id>, description: <text>, replacement: <text>, apis: [{name: "
    "<qualified name> | names: [...], replacement: <text>, non-blocking-if: [<predicate>], "
    "blocking-only-if: [<predicate>], acquires: this|<index>|args, releases: <index>, "
    "descriptor: this|<index>}]}]";
constexpr const char* PredicateShape =
    "{arg: <index>|last|this, is: zero|true} | {arg: ..., mentions: [<identifier>]} | "
    "{arg: ..., sets: [<flag>]} | {arg: ..., type: [<type>]} | {arg: ..., refers-to: "
    "[<variable>]}";
constexpr const char* MakerShape =
    "nonblocking-descriptors: [{name: <function> | names: [...], result: true | descriptor: "
    "this|<index>, if: [<predicate>]}]";
constexpr const char* UnlockShape =
    "unlocks: [{name: <function> | names: [...], lock: this|<index>}]";
constexpr const char* ExecutorShape =
    "executors: [{name: <qualified name> | names: [...], library: <text>, role: "
    "event-loop|strand|io|cpu|generic|process, callable: <index>|last|template-<index>|[...], "
    "payload: [<index>]|rest, executor-arg: <index>, role-by-executor: [{type: <type>, role: "
    "<role>}], role-by-origin: [{call: <function>, role: <role>}], note: <text>}]";
constexpr const char* ArgRefShape = "<index> | last | this | template-<index>";
constexpr const char* BoundaryShape =
    "payload-kind: values|bytes|segment, payload-type: template-<index>, "
    "boundary-if: [{arg: <index>, from: [<function>], mentions: [<name>]}]";

using ListForm = YamlReader::ListForm;

class PackLoader {
public:
  PackLoader(const YamlReader& Yaml, RuleData& D) : Yaml(Yaml), D(D) {}

  llvm::Error load(const YAML::Node& Root) {
    if (!Root.IsMap())
      return Yaml.error(Root, "a rule pack must be a mapping",
                        "version: 1, then categories / task-types / generator-types / "
                        "reactor-future-types / executors");
    for (const auto& Entry : Root) {
      std::string Key = Entry.first.as<std::string>();
      const YAML::Node& Value = Entry.second;
      llvm::Error Err = llvm::Error::success();
      if (Key == "version") {
        Err = Yaml.version(Value, "rule pack");
      } else if (Key == "categories") {
        Err = loadCategories(Value, D.Blocking, D.Categories);
      } else if (Key == "cpu-heavy") {
        Err = loadCategories(Value, D.CpuHeavy, D.CpuCategories);
      } else if (Key == "yield-points" || Key == "binders" || Key == "work-guards" ||
                 Key == "readiness-waits") {
        auto Names = Yaml.strings(Value, Key, ListForm::NonEmpty);
        if (!Names)
          return Names.takeError();
        llvm::append_range(Key == "binders"           ? D.Binders
                           : Key == "work-guards"     ? D.WorkGuards
                           : Key == "readiness-waits" ? D.ReadinessWaits
                                                      : D.YieldPoints,
                           *Names);
      } else if (Key == "task-types") {
        Err = loadTypes(Value, D.TaskTypes, Key);
      } else if (Key == "generator-types") {
        Err = loadTypes(Value, D.GeneratorTypes, Key);
      } else if (Key == "reactor-future-types") {
        Err = loadTypes(Value, D.ReactorFutureTypes, Key);
      } else if (Key == "executors") {
        Err = loadExecutors(Value);
      } else if (Key == "nonblocking-descriptors") {
        Err = loadMakers(Value);
      } else if (Key == "unlocks") {
        Err = loadUnlocks(Value);
      } else if (Key == "would-block") {
        auto Names = Yaml.strings(Value, Key, ListForm::NonEmpty);
        if (!Names)
          return Names.takeError();
        llvm::append_range(D.WouldBlockNames, *Names);
      } else {
        Err = Yaml.error(
            Entry.first, "unknown key '" + Key + "'",
            "one of version, categories, cpu-heavy, yield-points, binders, work-guards, "
            "readiness-waits, task-types, generator-types, reactor-future-types, executors, "
            "nonblocking-descriptors, unlocks, would-block");
      }
      if (Err)
        return Err;
    }
    return llvm::Error::success();
  }

private:
  llvm::Expected<ArgRef> argRef(const YAML::Node& N) {
    if (!N.IsScalar())
      return Yaml.error(N, "expected an argument reference", ArgRefShape);
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
      return Yaml.error(N, "bad argument reference '" + N.Scalar() + "'", ArgRefShape);
    return Ref;
  }

  llvm::Expected<ArgPredicate> predicate(const YAML::Node& Item) {
    if (auto Err =
            Yaml.keys(Item, {"arg", "is", "mentions", "sets", "type", "refers-to"}, PredicateShape))
      return std::move(Err);
    if (!Item["arg"])
      return Yaml.error(Item, "predicate has no 'arg'", PredicateShape);
    auto Arg = argRef(Item["arg"]);
    if (!Arg)
      return Arg.takeError();
    ArgPredicate P;
    P.Arg = *Arg;
    int Forms = 0;
    if (const YAML::Node Is = Item["is"]) {
      ++Forms;
      if (!Is.IsScalar() || (Is.Scalar() != "zero" && Is.Scalar() != "true"))
        return Yaml.error(Is, "unknown 'is' predicate", "is: zero | true");
      P.K = Is.Scalar() == "zero" ? ArgPredicate::Kind::IsZero : ArgPredicate::Kind::IsTrue;
    }
    for (auto [Key, Kind] : {std::pair{"mentions", ArgPredicate::Kind::Mentions},
                             std::pair{"sets", ArgPredicate::Kind::Sets},
                             std::pair{"type", ArgPredicate::Kind::HasType},
                             std::pair{"refers-to", ArgPredicate::Kind::RefersTo}})
      if (const YAML::Node L = Item[Key]) {
        ++Forms;
        auto Names = Yaml.strings(L, Key, ListForm::NonEmpty);
        if (!Names)
          return Names.takeError();
        P.K = Kind;
        P.Names = std::move(*Names);
      }
    if (Forms != 1)
      return Yaml.error(Item,
                        "a predicate needs exactly one of is, mentions, sets, type, refers-to",
                        PredicateShape);
    return P;
  }

  llvm::Expected<std::vector<ArgPredicate>> predicates(const YAML::Node& N) {
    std::vector<ArgPredicate> Out;
    if (!N.IsSequence())
      return Yaml.error(N, "expected a list of predicates", PredicateShape);
    for (const auto& Item : N) {
      auto P = predicate(Item);
      if (!P)
        return P.takeError();
      Out.push_back(std::move(*P));
    }
    return Out;
  }

  /// An optional string under Key, or Default when absent.
  llvm::Expected<std::string> optionalScalar(const YAML::Node& Map, const char* Key,
                                             std::string Default = {}) {
    if (!Map[Key])
      return Default;
    return Yaml.scalar(Map[Key], Key);
  }

  /// acquires, releases, descriptor and loop: which argument is the lock, the
  /// descriptor or the loop.
  llvm::Error loadLockAndDescriptorKeys(const YAML::Node& Api, BlockingRule& Rule) {
    if (const YAML::Node Acquires = Api["acquires"]) {
      if (Acquires.IsScalar() && Acquires.Scalar() == "args") {
        Rule.AcquiresEveryArg = true;
      } else {
        auto A = argRef(Acquires);
        if (!A)
          return A.takeError();
        Rule.Acquires = *A;
      }
    }
    for (auto [Key, Into] :
         {std::pair{"releases", &Rule.Releases}, std::pair{"descriptor", &Rule.Descriptor},
          std::pair{"loop", &Rule.Loop}})
      if (const YAML::Node N = Api[Key]) {
        auto A = argRef(N);
        if (!A)
          return A.takeError();
        *Into = *A;
      }
    return llvm::Error::success();
  }

  /// One API entry of a category: its names, its replacement and predicates.
  llvm::Error loadApi(const YAML::Node& Api, const BlockingRule& Category,
                      std::vector<BlockingRule>& Into) {
    if (auto Err = Yaml.keys(Api,
                             {"name", "names", "replacement", "non-blocking-if", "blocking-only-if",
                              "note", "acquires", "releases", "descriptor", "loop"},
                             BlockingShape))
      return Err;
    auto ApiNames = Yaml.names(Api, "<qualified name>");
    if (!ApiNames)
      return ApiNames.takeError();
    BlockingRule Rule = Category;
    auto Replacement = optionalScalar(Api, "replacement", Category.Replacement);
    if (!Replacement)
      return Replacement.takeError();
    Rule.Replacement = *Replacement;
    if (Rule.Replacement.empty())
      return Yaml.error(Api, "no replacement hint for this API or its category",
                        "replacement: <the async alternative>");
    for (auto [Key, Predicates] : {std::pair{"non-blocking-if", &Rule.NonBlockingIf},
                                   std::pair{"blocking-only-if", &Rule.BlockingOnlyIf}})
      if (Api[Key]) {
        auto P = predicates(Api[Key]);
        if (!P)
          return P.takeError();
        *Predicates = std::move(*P);
      }
    if (auto Err = loadLockAndDescriptorKeys(Api, Rule))
      return Err;
    for (const std::string& ApiName : *ApiNames) {
      Rule.Name = ApiName;
      Into.push_back(Rule);
    }
    return llvm::Error::success();
  }

  llvm::Error loadCategories(const YAML::Node& N, std::vector<BlockingRule>& Into,
                             std::vector<CategoryInfo>& Categories) {
    if (!N.IsSequence())
      return Yaml.error(N, "expected a list of categories", BlockingShape);
    for (const auto& Cat : N) {
      if (auto Err = Yaml.keys(Cat, {"name", "description", "replacement", "apis"}, BlockingShape))
        return Err;
      auto Name = Yaml.scalar(Cat["name"], "name");
      if (!Name)
        return Name.takeError();
      auto Description = optionalScalar(Cat, "description");
      if (!Description)
        return Description.takeError();
      BlockingRule Category;
      Category.Category = *Name;
      auto Replacement = optionalScalar(Cat, "replacement");
      if (!Replacement)
        return Replacement.takeError();
      Category.Replacement = *Replacement;
      Categories.push_back({*Name, *Description, *Replacement});
      const YAML::Node Apis = Cat["apis"];
      if (!Apis || !Apis.IsSequence())
        return Yaml.error(Apis ? Apis : Cat, "category '" + *Name + "' needs a list 'apis'",
                          BlockingShape);
      for (const auto& Api : Apis)
        if (auto Err = loadApi(Api, Category, Into))
          return Err;
    }
    return llvm::Error::success();
  }

  llvm::Error loadTypes(const YAML::Node& N, std::vector<TypeRule>& Out, llvm::StringRef Key) {
    std::string Shape =
        Key.str() + ": [{name: <qualified type name>, library: <text>, offload: <advice>}]";
    if (!N.IsSequence())
      return Yaml.error(N, "expected a list for '" + Key.str() + "'", Shape);
    for (const auto& Item : N) {
      if (Item.IsScalar()) {
        Out.push_back({Item.Scalar(), ""});
        continue;
      }
      if (auto Err = Yaml.keys(Item, {"name", "library", "offload", "note"}, Shape))
        return Err;
      auto Name = Yaml.scalar(Item["name"], "name");
      if (!Name)
        return Name.takeError();
      auto Library = optionalScalar(Item, "library");
      if (!Library)
        return Library.takeError();
      auto Offload = optionalScalar(Item, "offload");
      if (!Offload)
        return Offload.takeError();
      Out.push_back({*Name, *Library, *Offload});
    }
    return llvm::Error::success();
  }

  llvm::Expected<ExecutorRole> role(const YAML::Node& N) {
    std::string Shape = ("role: " + roleNames()).str();
    auto R = Yaml.scalar(N, "role");
    if (!R)
      return R.takeError();
    std::optional<ExecutorRole> Role = parseRole(*R);
    if (!Role)
      return Yaml.error(N, "unknown role '" + *R + "'", Shape);
    return *Role;
  }

  /// `role-by-executor: [{type, role}]` or `role-by-origin: [{call, role}]`: Key names the
  /// pattern's field.
  llvm::Error rolesBy(const YAML::Node& N, const char* Key, llvm::StringRef Shape,
                      std::vector<std::pair<std::string, ExecutorRole>>& Out) {
    if (!N.IsSequence())
      return Yaml.error(N, "expected a list", Shape);
    for (const auto& Entry : N) {
      if (auto Err = Yaml.keys(Entry, {Key, "role"}, Shape))
        return Err;
      auto Pattern = Yaml.scalar(Entry[Key], Key);
      if (!Pattern)
        return Pattern.takeError();
      auto R = role(Entry["role"]);
      if (!R)
        return R.takeError();
      Out.emplace_back(*Pattern, *R);
    }
    return llvm::Error::success();
  }

  /// payload-kind, payload-type and boundary-if: how a process boundary's payload travels.
  llvm::Error loadBoundaryKeys(const YAML::Node& Item, ExecutorRule& Rule) {
    if (const YAML::Node Kind = Item["payload-kind"]) {
      if (!Kind.IsScalar() ||
          (Kind.Scalar() != "values" && Kind.Scalar() != "bytes" && Kind.Scalar() != "segment"))
        return Yaml.error(Kind, "bad 'payload-kind'", BoundaryShape);
      Rule.PayloadBytes = Kind.Scalar() != "values";
      Rule.PayloadInSegment = Kind.Scalar() == "segment";
    }
    if (const YAML::Node Type = Item["payload-type"]) {
      auto A = argRef(Type);
      if (!A)
        return A.takeError();
      if (A->K != ArgRef::Kind::TemplateIndex)
        return Yaml.error(Type, "'payload-type' names a template argument", BoundaryShape);
      Rule.PayloadTemplate = A->Index;
    }
    if (const YAML::Node If = Item["boundary-if"]) {
      if (!If.IsSequence())
        return Yaml.error(If, "expected a list of conditions", BoundaryShape);
      for (const auto& C : If) {
        if (auto Err = Yaml.keys(C, {"arg", "from", "mentions"}, BoundaryShape))
          return Err;
        if (!C["arg"] || !C["from"])
          return Yaml.error(C, "a condition needs 'arg' and 'from'", BoundaryShape);
        auto A = argRef(C["arg"]);
        if (!A)
          return A.takeError();
        auto From = Yaml.strings(C["from"], "from", ListForm::NonEmpty);
        if (!From)
          return From.takeError();
        ExecutorRule::Origin O{*A, std::move(*From), {}};
        if (C["mentions"]) {
          auto M = Yaml.strings(C["mentions"], "mentions", ListForm::NonEmpty);
          if (!M)
            return M.takeError();
          O.Mentions = std::move(*M);
        }
        Rule.BoundaryIf.push_back(std::move(O));
      }
    }
    if ((Rule.PayloadBytes || Rule.PayloadTemplate || !Rule.BoundaryIf.empty()) &&
        Rule.Role != ExecutorRole::Process)
      return Yaml.error(Item, "payload-kind, payload-type and boundary-if are for role: process",
                        BoundaryShape);
    return llvm::Error::success();
  }

  /// `callable: 0 | [0, 1] | none`.
  llvm::Error loadCallables(const YAML::Node& Item, ExecutorRule& Rule) {
    const YAML::Node Callable = Item["callable"];
    if (!Callable)
      return Yaml.error(Item, "executor entry has no 'callable'", ExecutorShape);
    // A process boundary that carries only data (`write`, `memcpy`, `MPI_Send`).
    if (Callable.IsScalar() && Callable.Scalar() == "none") {
      if (Rule.Role != ExecutorRole::Process)
        return Yaml.error(Callable, "only a process boundary may have 'callable: none'",
                          "role: process");
      return llvm::Error::success();
    }
    std::vector<YAML::Node> Refs;
    if (Callable.IsSequence())
      for (const auto& Item : Callable)
        Refs.push_back(Item);
    else
      Refs.push_back(Callable);
    for (const YAML::Node& C : Refs) {
      auto A = argRef(C);
      if (!A)
        return A.takeError();
      Rule.Callables.push_back(*A);
    }
    return llvm::Error::success();
  }

  /// `payload: [<index>...] | rest`.
  llvm::Error loadPayload(const YAML::Node& Payload, ExecutorRule& Rule) {
    const char* Shape = "payload: [<index>, ...] | rest";
    if (Payload.IsScalar() && Payload.Scalar() == "rest") {
      Rule.PayloadRest = true;
      return llvm::Error::success();
    }
    if (!Payload.IsSequence())
      return Yaml.error(Payload, "bad 'payload'", Shape);
    for (const auto& P : Payload) {
      unsigned Index;
      if (!P.IsScalar() || llvm::StringRef(P.Scalar()).getAsInteger(10, Index))
        return Yaml.error(P, "expected an argument index", Shape);
      Rule.Payload.push_back(Index);
    }
    return llvm::Error::success();
  }

  llvm::Error loadExecutor(const YAML::Node& Item) {
    if (auto Err = Yaml.keys(Item,
                             {"name", "names", "library", "role", "callable", "payload",
                              "executor-arg", "role-by-executor", "role-by-origin", "note",
                              "offload", "payload-kind", "payload-type", "boundary-if"},
                             ExecutorShape))
      return Err;
    auto Names = Yaml.names(Item, "<qualified name>");
    if (!Names)
      return Names.takeError();
    ExecutorRule Rule;
    auto Library = optionalScalar(Item, "library");
    if (!Library)
      return Library.takeError();
    Rule.Library = *Library;
    auto Note = optionalScalar(Item, "note");
    if (!Note)
      return Note.takeError();
    Rule.Note = *Note;
    auto Offload = optionalScalar(Item, "offload");
    if (!Offload)
      return Offload.takeError();
    Rule.Offload = *Offload;
    if (!Item["role"])
      return Yaml.error(Item, "executor entry has no 'role'", ExecutorShape);
    auto R = role(Item["role"]);
    if (!R)
      return R.takeError();
    Rule.Role = *R;
    if (auto Err = loadCallables(Item, Rule))
      return Err;
    if (const YAML::Node Payload = Item["payload"])
      if (auto Err = loadPayload(Payload, Rule))
        return Err;
    if (const YAML::Node Exec = Item["executor-arg"]) {
      auto A = argRef(Exec);
      if (!A)
        return A.takeError();
      Rule.ExecutorArg = *A;
    }
    if (const YAML::Node ByExec = Item["role-by-executor"]) {
      if (auto Err = rolesBy(ByExec, "type", "role-by-executor: [{type: <type>, role: <role>}]",
                             Rule.RoleByExecutor))
        return Err;
      if (!Rule.ExecutorArg)
        return Yaml.error(ByExec, "'role-by-executor' needs 'executor-arg'", ExecutorShape);
    }
    if (const YAML::Node ByOrigin = Item["role-by-origin"])
      if (auto Err =
              rolesBy(ByOrigin, "call",
                      "role-by-origin: [{call: <function that makes the executor>, role: <role>}]",
                      Rule.RoleByOrigin))
        return Err;
    if (auto Err = loadBoundaryKeys(Item, Rule))
      return Err;
    for (const std::string& Name : *Names) {
      Rule.Name = Name;
      D.Executors.push_back(Rule);
    }
    return llvm::Error::success();
  }

  llvm::Error loadMakers(const YAML::Node& N) {
    if (!N.IsSequence())
      return Yaml.error(N, "expected a list", MakerShape);
    for (const auto& Item : N) {
      if (auto Err =
              Yaml.keys(Item, {"name", "names", "result", "descriptor", "if", "note"}, MakerShape))
        return Err;
      auto Names = Yaml.names(Item, "<function>");
      if (!Names)
        return Names.takeError();
      NonBlockingMaker Maker;
      auto Result = Yaml.flag(Item["result"], "result");
      if (!Result)
        return Result.takeError();
      Maker.Result = *Result;
      if (const YAML::Node Descriptor = Item["descriptor"]) {
        auto A = argRef(Descriptor);
        if (!A)
          return A.takeError();
        Maker.Descriptor = *A;
      }
      if (Maker.Result == Maker.Descriptor.has_value())
        return Yaml.error(Item, "give either 'result: true' or 'descriptor'", MakerShape);
      if (const YAML::Node If = Item["if"]) {
        auto P = predicates(If);
        if (!P)
          return P.takeError();
        Maker.If = std::move(*P);
      }
      for (const std::string& Name : *Names) {
        Maker.Name = Name;
        D.NonBlockingMakers.push_back(Maker);
      }
    }
    return llvm::Error::success();
  }

  llvm::Error loadUnlocks(const YAML::Node& N) {
    if (!N.IsSequence())
      return Yaml.error(N, "expected a list", UnlockShape);
    for (const auto& Item : N) {
      if (auto Err = Yaml.keys(Item, {"name", "names", "lock", "note"}, UnlockShape))
        return Err;
      auto Names = Yaml.names(Item, "<function>");
      if (!Names)
        return Names.takeError();
      if (!Item["lock"])
        return Yaml.error(Item, "an unlock entry needs 'lock'", UnlockShape);
      auto Lock = argRef(Item["lock"]);
      if (!Lock)
        return Lock.takeError();
      for (const std::string& Name : *Names)
        D.Unlocks.push_back({Name, *Lock});
    }
    return llvm::Error::success();
  }

  llvm::Error loadExecutors(const YAML::Node& N) {
    if (!N.IsSequence())
      return Yaml.error(N, "expected a list of executors", ExecutorShape);
    for (const auto& Item : N)
      if (auto Err = loadExecutor(Item))
        return Err;
    return llvm::Error::success();
  }

  const YamlReader& Yaml;
  RuleData& D;
};

} // namespace

llvm::Error RuleSet::loadFile(llvm::StringRef Path) {
  return loadYamlFile(Path, "rule pack",
                      [&](llvm::StringRef Text) { return loadString(Text, Path); });
}

llvm::Error RuleSet::loadString(llvm::StringRef Text, llvm::StringRef Path) {
  if (auto Err = loadYamlInto(Data, Text, Path,
                              [](const YamlReader& Yaml, const YAML::Node& Root, RuleData& Into) {
                                return PackLoader(Yaml, Into).load(Root);
                              }))
    return Err;
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

std::vector<const NonBlockingMaker*> RuleSet::nonBlockingMakersFor(llvm::StringRef Name) const {
  std::vector<const NonBlockingMaker*> Out;
  for (const NonBlockingMaker& M : Data.NonBlockingMakers)
    if (M.Name == Name || (llvm::StringRef(M.Name).contains('*') && globMatch(M.Name, Name)))
      Out.push_back(&M);
  return Out;
}

bool RuleSet::isWouldBlockName(llvm::StringRef Name) const {
  return llvm::is_contained(Data.WouldBlockNames, Name);
}

const CategoryInfo* RuleSet::category(llvm::StringRef Name) const {
  for (const CategoryInfo& C : Data.Categories)
    if (C.Name == Name)
      return &C;
  return nullptr;
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

bool RuleSet::isEventLoopType(llvm::StringRef TypeName) const {
  for (const ExecutorRule& Rule : Data.Executors)
    for (const auto& [Type, Role] : Rule.RoleByExecutor)
      if (Role == ExecutorRole::EventLoop && globMatch(Type, TypeName))
        return true;
  return false;
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
