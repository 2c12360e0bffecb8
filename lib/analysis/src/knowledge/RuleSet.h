//===- RuleSet.h - The rule packs: knowledge as data ----------------------===//
//
// A rule pack is a YAML file (see docs/rules.md) that names blocking APIs,
// coroutine task types and executors. A RuleSet is every pack of a run,
// merged in load order; lookups are by matchName (see Names.h).
//
//===----------------------------------------------------------------------===//
#ifndef TASKFIT_ANALYSIS_KNOWLEDGE_RULESET_H
#define TASKFIT_ANALYSIS_KNOWLEDGE_RULESET_H

#include "knowledge/Names.h"
#include "taskfit/analysis/Facts.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace taskfit {

/// Which argument of a call a rule speaks of.
struct ArgRef {
  enum class Kind { Index, Last, This, TemplateIndex };
  Kind K = Kind::Index;
  unsigned Index = 0;
};

struct ArgPredicate {
  enum class Kind {
    IsZero,   ///< A constant zero: 0, 0.0, nullptr, a zero std::chrono duration.
    IsTrue,   ///< A constant that is true (or non-zero).
    Mentions, ///< The argument's source text names one of Names (flags, macros).
    Sets,     ///< Mentions one of Names other than complemented (`~O_NONBLOCK` clears it).
    HasType,  ///< The argument's static type is one of Names.
    RefersTo, ///< The argument names one of the variables in Names.
  };
  Kind K = Kind::IsZero;
  ArgRef Arg;
  std::vector<std::string> Names;
};

struct BlockingRule {
  std::string Name; ///< A matchName, possibly with `*` globs.
  std::string Category;
  std::string Replacement;
  std::vector<ArgPredicate> NonBlockingIf;
  std::vector<ArgPredicate> BlockingOnlyIf;
  /// The lock the call acquires (`acquires: this | <index> | args`): it waits
  /// only as long as another thread holds that lock.
  std::optional<ArgRef> Acquires;
  bool AcquiresEveryArg = false; ///< `acquires: args` (std::lock, std::scoped_lock).
  /// A condition wait releases the lock it is given while it waits (`releases: <index>`).
  std::optional<ArgRef> Releases;
  /// The descriptor the call reads or writes (`descriptor: this | <index>`).
  std::optional<ArgRef> Descriptor;
  /// The event loop the call runs (`loop: this`).
  std::optional<ArgRef> Loop;
};

/// A call that makes a descriptor non-blocking (rules/blocking.yaml,
/// nonblocking-descriptors): the one it returns or the one it is given.
struct NonBlockingMaker {
  std::string Name;
  bool Result = false;              ///< The descriptor is the call's result.
  std::optional<ArgRef> Descriptor; ///< Otherwise this argument (an array: its elements).
  std::vector<ArgPredicate> If;     ///< All must hold; empty: always.
};

/// A call that releases a lock it is given (`pthread_mutex_unlock(&m)`).
struct UnlockRule {
  std::string Name;
  ArgRef Lock;
};

struct ExecutorRule {
  std::string Name;
  std::string Library;
  ExecutorRole Role = ExecutorRole::Generic;
  std::vector<ArgRef> Callables;
  std::vector<unsigned> Payload;
  bool PayloadRest = false;
  std::optional<ArgRef> ExecutorArg;
  std::vector<std::pair<std::string, ExecutorRole>> RoleByExecutor; ///< type -> role
  /// The call that created the executor object (`ThreadPool::for_cpu()`) -> role.
  std::vector<std::pair<std::string, ExecutorRole>> RoleByOrigin;
  std::string Note;
  /// How a callable this API runs on an event loop moves a blocking call off
  /// it, in the library's terms; empty for the checks' default.
  std::string Offload;
  /// Payload arguments point to an object whose bytes travel (`write(fd, &obj,
  /// sizeof obj)`), rather than being values sent through a serialisation library.
  bool PayloadBytes = false;
  /// The payload is built in place in a shared segment every process maps
  /// (Boost.Interprocess's managed memory): position-independent pointers
  /// (`offset_ptr`) mean the same in every process there.
  bool PayloadInSegment = false;
  /// The payload is this template argument's type (`segment.construct<T>(name)(...)`).
  std::optional<unsigned> PayloadTemplate;
  /// When an argument comes from one of the calls From (a variable initialised
  /// by one, through casts), with one of Mentions in that call when given:
  /// `memcpy` into memory from `mmap(..., MAP_SHARED, ...)`.
  struct Origin {
    ArgRef Arg;
    std::vector<std::string> From;
    std::vector<std::string> Mentions;
  };
  /// A boundary applies only when one of these holds; empty: always.
  std::vector<Origin> BoundaryIf;
};

/// A named type from the task-type, generator-type or reactor-future-type lists.
struct TypeRule {
  std::string Name;
  std::string Library;
  /// How a coroutine of this type moves a blocking call off its loop, in its
  /// library's terms; empty for the checks' default.
  std::string Offload;
};

struct CategoryInfo {
  std::string Name;
  std::string Description;
  std::string Replacement; ///< The category's default replacement hint.
};

/// Everything the packs of a run say, merged in load order.
struct RuleData {
  std::vector<BlockingRule> Blocking;
  std::vector<BlockingRule> CpuHeavy;   ///< Same shape: Replacement holds the hint.
  std::vector<std::string> YieldPoints; ///< Calls that let an event loop run others.
  /// Calls whose result calls the callable they are given first, with some
  /// arguments bound (`std::bind`, Beast's `bind_front_handler`).
  std::vector<std::string> Binders;
  /// Calls that keep an event loop running without giving it work
  /// (`asio::make_work_guard`): using a loop so is not serving I/O on it.
  std::vector<std::string> WorkGuards;
  /// Asynchronous waits for an I/O object to become ready (`async_wait` on a
  /// socket): their handler's I/O on that object finds it ready.
  std::vector<std::string> ReadinessWaits;
  std::vector<ExecutorRule> Executors;
  std::vector<TypeRule> TaskTypes, GeneratorTypes, ReactorFutureTypes;
  std::vector<CategoryInfo> Categories, CpuCategories;
  std::vector<NonBlockingMaker> NonBlockingMakers;
  std::vector<UnlockRule> Unlocks;
  /// Names whose mention shows a descriptor is non-blocking: the caller
  /// expects EAGAIN (`errno == EAGAIN`, `ec == asio::error::would_block`).
  std::vector<std::string> WouldBlockNames;
};

struct SerialisationRules;

class RuleSet {
public:
  /// Loads one pack; errors carry `file:line:column` and the expected shape.
  llvm::Error loadFile(llvm::StringRef Path);
  llvm::Error loadString(llvm::StringRef Text, llvm::StringRef Path);

  /// Blocking rules whose name matches, in load order.
  std::vector<const BlockingRule*> blockingRulesFor(llvm::StringRef Name) const;
  /// CPU-heavy rules whose name matches, in load order.
  std::vector<const BlockingRule*> cpuHeavyRulesFor(llvm::StringRef Name) const;
  std::vector<const ExecutorRule*> executorRulesFor(llvm::StringRef Name) const;
  bool isYieldPoint(llvm::StringRef Name) const;
  bool isBinder(llvm::StringRef Name) const { return llvm::is_contained(Data.Binders, Name); }
  bool isWorkGuard(llvm::StringRef Name) const { return matchesAny(Data.WorkGuards, Name); }
  bool isReadinessWait(llvm::StringRef Name) const { return matchesAny(Data.ReadinessWaits, Name); }
  /// Whether a type is an event loop's (or its executor's): one an executor
  /// rule's role-by-executor gives the event-loop role.
  bool isEventLoopType(llvm::StringRef TypeName) const;
  std::vector<const NonBlockingMaker*> nonBlockingMakersFor(llvm::StringRef Name) const;
  const UnlockRule* unlockFor(llvm::StringRef Name) const { return findByName(Data.Unlocks, Name); }
  bool isWouldBlockName(llvm::StringRef Name) const;
  /// A blocking category's description and default replacement, or null.
  const CategoryInfo* category(llvm::StringRef Name) const;

  const TypeRule* taskType(llvm::StringRef Name) const { return findByName(Data.TaskTypes, Name); }
  const TypeRule* generatorType(llvm::StringRef Name) const {
    return findByName(Data.GeneratorTypes, Name);
  }
  const TypeRule* reactorFutureType(llvm::StringRef Name) const {
    return findByName(Data.ReactorFutureTypes, Name);
  }

  const std::vector<BlockingRule>& blockingRules() const { return Data.Blocking; }
  const std::vector<BlockingRule>& cpuHeavyRules() const { return Data.CpuHeavy; }
  const std::vector<ExecutorRule>& executorRules() const { return Data.Executors; }
  const std::vector<CategoryInfo>& categories() const { return Data.Categories; }
  const std::vector<std::string>& files() const { return Files; }

  /// The serialisation model (serialisation.yaml), loaded on its own by loadRuleSet.
  const SerialisationRules* serialisation() const { return Serialisation.get(); }
  void setSerialisation(std::shared_ptr<const SerialisationRules> Rules) {
    Serialisation = std::move(Rules);
  }

private:
  void index();

  RuleData Data;
  std::vector<std::string> Files;
  std::shared_ptr<const SerialisationRules> Serialisation;

  llvm::StringMap<std::vector<size_t>> BlockingByName, CpuHeavyByName, ExecutorsByName;
  std::vector<size_t> BlockingGlobs, CpuHeavyGlobs, ExecutorGlobs;
};

/// Packs with a schema of their own, loaded by their own loaders rather than
/// as part of the RuleSet: `decision-matrix.yaml`, `serialisation.yaml`.
bool isSeparatelyLoadedPack(llvm::StringRef FileName);

/// Loads every `*.yaml` of Dir (sorted by name) except the separately loaded
/// packs, then each of Extra.
llvm::Error loadRuleSet(RuleSet& Rules, llvm::StringRef Dir, const std::vector<std::string>& Extra);

} // namespace taskfit

#endif
