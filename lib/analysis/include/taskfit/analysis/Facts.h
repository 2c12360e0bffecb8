//===- Facts.h - What one translation unit says about its functions -------===//
//
// Facts are the output of extraction and the input of linking. They are plain
// data: no AST pointers, no addresses, paths relative to the source root, and
// sorted, so that the same TU always yields byte-identical Facts. That lets a
// later stage cache them by content and produce them on other machines.
//
//===----------------------------------------------------------------------===//
#ifndef TASKFIT_ANALYSIS_FACTS_H
#define TASKFIT_ANALYSIS_FACTS_H

#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include <optional>
#include <string>
#include <vector>

namespace taskfit {

/// Bumped whenever the meaning or shape of Facts changes.
inline constexpr int FactsVersion = 6;

struct SourceLoc {
  std::string File; ///< Relative to the source root when inside it.
  unsigned Line = 0;
  unsigned Column = 0; ///< 1-based, in bytes (clang's convention).
  /// The macro whose expansion at this place holds the code, when it is in
  /// a macro's body (not one of its arguments): the place alone would point
  /// at a line that does not show the call.
  std::string Macro;

  friend bool operator==(const SourceLoc&, const SourceLoc&) = default;
  friend auto operator<=>(const SourceLoc&, const SourceLoc&) = default;
};

/// A call matched by the blocking rule pack (or by `[[clang::blocking]]`).
struct BlockingMatch {
  std::string Api;         ///< The rule's name, e.g. `std::this_thread::sleep_for`.
  std::string Category;    ///< e.g. `sleep`, `file-io`.
  std::string Replacement; ///< The async alternative to suggest.
  /// A condition wait: it releases the lock it is given while it waits, so a
  /// thread holding that lock does not hold it across the wait.
  bool ReleasesLock = false;

  friend bool operator==(const BlockingMatch&, const BlockingMatch&) = default;
};

/// A call matched by the CPU-heavy rule pack (hashing, compression, regex
/// compilation, sorts over whole containers...).
struct CpuHeavyMatch {
  std::string Api;
  std::string Category;
  std::string Hint;

  friend bool operator==(const CpuHeavyMatch&, const CpuHeavyMatch&) = default;
};

/// How many times a loop runs, as far as the code says.
enum class TripCount {
  Constant,  ///< A constant bound: Trips holds it.
  Container, ///< Bounded by a container's size.
  Parameter, ///< Bounded by a function parameter.
  Unknown,   ///< Some other condition.
  Unbounded, ///< `for (;;)`, `while (true)`.
};

struct LoopFact {
  SourceLoc Loc;
  int Parent = -1; ///< Index of the enclosing loop in the same function, or -1.
  TripCount Trips = TripCount::Unknown;
  int64_t ConstantTrips = -1;
  bool Suspends = false; ///< A co_await, co_yield or yield call inside.
  bool HasNestedLoop = false;
  int Operations = 0;     ///< Assignments, increments and declarations in the body.
  bool EmptyBody = false; ///< `while (!ready) {}`: it only tests its condition.
  std::string Over;       ///< What the loop iterates, as written (`pixels`), if short.
  std::string HeldLock;   ///< A shared lock held while the loop runs.
  /// The body can leave the loop (`break`, `return`, `goto`, `throw`): a retry
  /// or search loop, not one that spins forever.
  bool Exits = false;
  /// An iteration hands work to an executor (`async_write(..., std::move(*this))`,
  /// `post(f)`): the loop starts operations, it does not run them.
  bool HandsOff = false;
  /// For a trip count bounded by a parameter: that parameter's index.
  int BoundParam = -1;
  /// It iterates characters or bytes (a string, a `char*` range, a byte
  /// buffer): the text or bytes of one message, a request, a line.
  bool OverBytes = false;

  friend bool operator==(const LoopFact&, const LoopFact&) = default;
};

enum class CallKind {
  Direct,         ///< An ordinary call, constructor or operator call.
  InlineCallable, ///< A lambda handed to a function that is not an executor: assumed called inline.
};

struct CallSite {
  SourceLoc Loc;
  std::string CalleeUsr;  ///< Empty when the callee has no USR worth following.
  std::string CalleeName; ///< Qualified name, for messages.
  CallKind Kind = CallKind::Direct;
  std::optional<BlockingMatch> Blocking; ///< Set when the call itself is a blocking API.
  bool CalleeTrustedNonBlocking = false; ///< `[[clang::nonblocking]]` on the callee.
  std::optional<CpuHeavyMatch> CpuHeavy; ///< Set when the call is CPU-heavy by nature.
  int Loop = -1;                         ///< Index of the innermost enclosing loop, or -1.
  std::string HeldLock; ///< A shared lock (global or member mutex) held at the call.
  /// The locks the call acquires (`std::lock_guard g(mu_)`, `mu_.lock()`,
  /// `pthread_mutex_lock(&m)`), by identity: `Class::field` for a member, the
  /// qualified name of a global; empty when it acquires none. Empty strings
  /// stand for locks whose identity is unknown (a reference parameter).
  std::vector<std::string> Acquires;
  /// The identity of the descriptor the call reads or writes, when its rule
  /// names one (`?` when its identity is unknown): the call does not block if
  /// that descriptor is non-blocking.
  std::string Descriptor;
  /// The event loop a run-loop call runs (`loop: this`), by identity: a
  /// callback already on that loop drives it rather than nesting another.
  std::string RunsLoop;
  /// Arguments that point into, or count, a buffer of fixed size (a
  /// `std::array`, a C array): a loop bounded by one of them is bounded.
  std::vector<int> FixedSizeArgs;
  /// The call is handed the guard of the lock held at it (`cv.wait(lock)`,
  /// `do_run_one(lock)`): the callee may release the lock while it waits.
  bool HandsOverLock = false;
  /// The caller checks for EAGAIN after its calls: a descriptor call this
  /// call reaches does not block (the descriptor is non-blocking).
  bool HandlesWouldBlock = false;

  friend bool operator==(const CallSite&, const CallSite&) = default;
};

/// Which part of a submission cannot cross a process boundary.
struct PayloadSubject {
  enum class Kind {
    Argument,         ///< Argument Index (0-based) of the call to Api.
    IovecArgument,    ///< The same, sent through the iovecs of a msghdr.
    Result,           ///< What the function Api returns.
    TemplateArgument, ///< Template argument Index of Api (`construct<T>`).
    Callable,         ///< The callable handed to Api.
    Lambda,           ///< The lambda handed to Api.
    LambdaCapture,    ///< A capture of the lambda handed to Api.
  };
  Kind K = Kind::Argument;
  unsigned Index = 0;
  std::string Api; ///< The executor's (or, for Result, the function's) unqualified name.

  friend bool operator==(const PayloadSubject&, const PayloadSubject&) = default;
};

/// What offends: a kind of type or part of a type, or the way a callable is given.
enum class PayloadFault {
  // The part of the type that cannot cross (Offender names it).
  Reference,
  FunctionPointer,
  MemberPointer,
  Pointer,
  NullPointer,
  ArrayOfUnknownSize,
  Function,
  NoKnownSerialisation, ///< Neither a record nor a value the rules know.
  LambdaWithCaptures,
  Lambda,
  Never,      ///< A type the serialisation pack lists as never crossing (Detail: what).
  OwnsMemory, ///< Sent as bytes, but its bytes point into this process's heap.
  Incomplete,
  Polymorphic,          ///< Sent as bytes, with a pointer to this process's vtable.
  LibraryType,          ///< A library's type with no known serialisation.
  NotTriviallyCopyable, ///< Sent as bytes, but not trivially copyable.
  NoProtocol,           ///< A user's type without a serialisation function.
  // How the callable is given.
  MemberFunction,      ///< A member function named at compile time (Detail: its name).
  ClosureWithCaptures, ///< A lambda with captures, given at run time (Captures).
  ClosureAtRunTime,    ///< A lambda without captures, given at run time.
  FunctionPointerAtRunTime,
  FunctionObjectAtRunTime,
  CapturesByReference, ///< A thread's task sharing memory through a capture (Captures).
};

/// A container between the payload's type and the offending part:
/// `'std::vector<Job>', whose 'Job::sink' is ...`.
struct PayloadHolder {
  std::string Type;   ///< The element type as written.
  std::string Path;   ///< From it to the offending part.
  bool Holds = false; ///< The part is an element ("holds"), not a member ("is").

  friend bool operator==(const PayloadHolder&, const PayloadHolder&) = default;
};

/// Why one argument (or the callable) of a submission cannot cross a process
/// boundary: the first path to an offending member, like a pickling error.
/// Plain data: the words are the check's (non-serialisable-process-payload).
struct PayloadProblem {
  PayloadSubject Subject;
  std::string Type;   ///< The argument's type as written; empty for lambdas.
  std::string Path;   ///< e.g. `Job::sink`; empty when the type itself offends.
  bool Holds = false; ///< The type (or Path) holds the offending part as an element.
  std::vector<PayloadHolder> Through; ///< Containers on the way, outermost first.
  PayloadFault Fault = PayloadFault::Pointer;
  std::string Offender; ///< The offending type as written (`std::ostream &`).
  std::string Detail;   ///< Never: the pack's words; MemberFunction: its qualified name.
  std::vector<std::string> Captures; ///< Closure faults: the captured names.
  bool Certain = true;               ///< False when the type is unknown (incomplete, opaque).

  friend bool operator==(const PayloadProblem&, const PayloadProblem&) = default;
};

/// What runs the work an executor API is handed (rules/executors.yaml).
enum class ExecutorRole {
  EventLoop, ///< One thread runs every handler: blocking or long work stalls the rest.
  Strand,    ///< Handlers run one at a time.
  Io,        ///< A pool sized for blocking work (more threads than cores).
  Cpu,       ///< A pool sized to the cores.
  Generic,   ///< std::thread, std::async, a pool of unknown purpose.
  Process,   ///< Another process: payloads must serialise.
};

/// `event-loop`, `strand`, `io`, `cpu`, `generic`, `process`: as packs and Facts spell it.
llvm::StringRef roleName(ExecutorRole Role);
std::optional<ExecutorRole> parseRole(llvm::StringRef Name);
/// `event-loop|strand|io|cpu|generic|process`.
llvm::StringRef roleNames();

/// Whether a callable handed over with this role runs on an event loop.
inline bool runsOnEventLoop(ExecutorRole Role) {
  return Role == ExecutorRole::EventLoop || Role == ExecutorRole::Strand;
}

/// Work handed to an executor: a thread, a pool, an event loop or a process.
struct Submission {
  SourceLoc Loc;
  std::string Api; ///< The executor API matched, e.g. `asio::post`.
  ExecutorRole Role = ExecutorRole::Generic;
  std::string CallableUsr;
  std::string CallableName;
  /// Whether the payload could cross a process boundary: `serialisable`,
  /// `shares-memory`, `unknown`, or empty when not assessed.
  std::string Payload;
  std::vector<PayloadProblem> PayloadProblems;
  int Loop = -1; ///< Index of the innermost enclosing loop of the submitting function, or -1.
  /// Tasks one call creates: 1, the range's size for `map` over a range of
  /// known size, or 0 when a `map`'s range size is unknown.
  int64_t TasksPerCall = 1;
  std::string Executor;     ///< Identity (USR) of the executor object, when it is a variable.
  std::string ExecutorName; ///< Its name, for messages.
  /// The executor object as ObjectIdentity names it (`Class::member`, a
  /// global, `function#local`), empty when unknown.
  std::string ExecutorObject;
  /// The executor is an object itself (not a reference, a pointer or a
  /// parameter): its uses in the program are all of its uses.
  bool ExecutorOwned = false;
  /// The callable is the handler of a readiness wait on ExecutorObject
  /// (`socket.async_wait(wait_write, h)`): it runs when that object is ready,
  /// so its own reads and writes on it do not wait (reactor-style I/O).
  bool AfterReadiness = false;
  /// The executor rule's advice for moving blocking work off where the
  /// callable runs, in the library's terms (empty: the checks' default).
  std::string Offload;
  /// The rule tells roles by the executor's type, and this executor's type is
  /// none it knows (a library forwarding through an executor binder): Role is
  /// the rule's default, a guess.
  bool RoleGuessed = false;
  /// The callable is a parameter of the submitting function: a wrapper (a
  /// library's forwarding layers) hands on what its caller gave it. Where the
  /// caller's own submission is known, it says where the work runs.
  bool Forwarded = false;

  friend bool operator==(const Submission&, const Submission&) = default;
};

enum class CoroutineKind {
  None,      ///< Not a coroutine.
  Async,     ///< Runs on an event loop: a task type, or an unknown type that co_awaits.
  Generator, ///< A synchronous generator: its body runs in its consumer's context.
};

struct FunctionFacts {
  std::string Usr;
  std::string Name; ///< Qualified name, or `lambda at file:line:col`.
  SourceLoc Loc;
  CoroutineKind Coroutine = CoroutineKind::None;
  std::string ReturnType; ///< The task or future type that classified it, if any.
  bool ReturnsReactorFuture = false;
  bool AnnotatedEventLoop = false;               ///< `[[clang::annotate("taskfit::event_loop")]]`.
  bool TrustedNonBlocking = false;               ///< `[[clang::nonblocking]]`.
  std::optional<BlockingMatch> DeclaredBlocking; ///< `[[clang::blocking]]`.
  std::vector<CallSite> Calls;
  std::vector<Submission> Submissions;
  std::vector<LoopFact> Loops;    ///< In source order; Parent and CallSite::Loop index it.
  std::vector<std::string> Locks; ///< Shared locks the body takes, sorted.
  /// Descriptors the body makes non-blocking (`fcntl(fd, F_SETFL, O_NONBLOCK)`,
  /// `socket(..., SOCK_NONBLOCK, ...)`, `sock.non_blocking(true)`) or treats as
  /// such (it checks a call's result for EAGAIN), by identity, sorted.
  std::vector<std::string> NonBlockingDescriptors;
  int Operations = 0; ///< Assignments, increments and declarations in the body.
  /// Event loops (by identity) this body gives to something other than a
  /// post, a run or a work guard: an I/O object, a timer, a server built on
  /// them. A loop object that appears in no function's IoLoops only runs
  /// what is posted to it: a worker queue, not an event loop serving I/O.
  std::vector<std::string> IoLoops;
  /// Event loops (by identity) this body keeps alive with a work guard: a
  /// loop with no work of its own that a thread keeps running for posts.
  std::vector<std::string> GuardedLoops;
  /// For a coroutine: its task type's advice for moving a blocking call off
  /// its loop, in the library's terms (empty: the checks' default).
  std::string Offload;

  friend bool operator==(const FunctionFacts&, const FunctionFacts&) = default;
};

/// A diagnostic clang reported while parsing a TU.
struct ParseDiagnostic {
  SourceLoc Loc;
  std::string Message;

  friend bool operator==(const ParseDiagnostic&, const ParseDiagnostic&) = default;
};

struct TUFacts {
  int Version = FactsVersion;
  std::string MainFile;
  bool Complete = true; ///< False when the TU failed to parse or crashed.
  std::vector<ParseDiagnostic> Errors;
  /// Absolute paths of every file the TU read (its dependencies), sorted:
  /// what the facts cache checks before reusing them.
  std::vector<std::string> Inputs;
  std::vector<FunctionFacts> Functions; ///< Sorted by USR.

  /// Orders everything so that equal inputs serialise identically.
  void normalise();

  friend bool operator==(const TUFacts&, const TUFacts&) = default;
};

llvm::json::Value toJSON(const TUFacts& Facts);
llvm::Expected<TUFacts> factsFromJSON(const llvm::json::Value& Value);

/// A facts file (`taskfit extract -o`): the facts of one or more TUs, which
/// `taskfit link` reads back.
llvm::json::Value factsFileToJSON(const std::vector<TUFacts>& TUs);
llvm::Expected<std::vector<TUFacts>> factsFileFromJSON(const llvm::json::Value& Value);

} // namespace taskfit

#endif
