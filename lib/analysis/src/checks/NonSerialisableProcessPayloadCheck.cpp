//===- NonSerialisableProcessPayloadCheck.cpp -----------------------------===//
//
// non-serialisable-process-payload: a callable or argument handed across a
// process boundary that cannot be serialised, reported like a pickling error
// but before run time, with the path to the offending member. The extractor
// judges each payload (extract/PayloadAssessment.cpp) and records what
// offends as data; this check says it. See
// docs/checks/non-serialisable-process-payload.md.
//
//===----------------------------------------------------------------------===//

#include "checks/Check.h"

namespace taskfit {
namespace {

CheckInfo checkInfo() {
  CheckInfo Info;
  Info.Id = "non-serialisable-process-payload";
  Info.Name = "NonSerialisableProcessPayload";
  Info.DefaultLevel = Level::Error;
  Info.ShortDescription = "A payload or callable that cannot cross a process boundary.";
  Info.FullDescription =
      "Work handed to another process (taskfit::ProcessPool, a pipe, a socket, a message "
      "queue, shared memory, MPI) arrives there as bytes. Pointers, references, views, "
      "handles, mutexes, closures with captures and types that contain them mean nothing in "
      "the other process; on raw-byte channels, anything that owns memory (std::string, "
      "containers) too. The message gives the first path to the offending member.";
  Info.Help = "Send values, not identities: give the type a cereal serialize(Archive&) "
              "function so that it satisfies taskfit::Transferable, name the function at "
              "compile time (submit<&fn>(args...)) and pass its state as arguments; on raw-byte "
              "channels send trivially copyable structs of plain values or serialise first. "
              "Unknown types (incomplete, opaque) are warnings.";
  Info.Tags = {"concurrency", "processes", "serialisation", "correctness"};
  Info.Precision =
      PrecisionRating::Medium; // No finding on the corpora yet: unmeasured (docs/precision.md).
  return Info;
}

/// `argument 2 of 'submit'`, `the lambda passed to 'submit'`.
std::string subjectWords(const PayloadSubject& S) {
  std::string Of = " of '" + S.Api + "'";
  std::string Argument = "argument " + std::to_string(S.Index + 1) + Of;
  switch (S.K) {
  case PayloadSubject::Kind::Argument:
    return Argument;
  case PayloadSubject::Kind::IovecArgument:
    return Argument + " (through its iovec)";
  case PayloadSubject::Kind::Result:
    return "the result" + Of;
  case PayloadSubject::Kind::TemplateArgument:
    return "template argument " + std::to_string(S.Index + 1) + Of;
  case PayloadSubject::Kind::Callable:
    return "the callable" + Of;
  case PayloadSubject::Kind::Lambda:
    return "the lambda passed to '" + S.Api + "'";
  case PayloadSubject::Kind::LambdaCapture:
    return "a capture of the lambda passed to '" + S.Api + "'";
  }
  return {};
}

/// What a type fault is, after the offending type: `a reference`.
std::string faultWords(const PayloadProblem& P) {
  switch (P.Fault) {
  case PayloadFault::Reference:
    return "a reference";
  case PayloadFault::FunctionPointer:
    return "a function pointer";
  case PayloadFault::MemberPointer:
    return "a pointer to member";
  case PayloadFault::Pointer:
    return "a pointer";
  case PayloadFault::NullPointer:
    return "a null pointer";
  case PayloadFault::ArrayOfUnknownSize:
    return "an array of unknown size";
  case PayloadFault::Function:
    return "a function";
  case PayloadFault::NoKnownSerialisation:
    return "a type with no known serialisation";
  case PayloadFault::LambdaWithCaptures:
    return "a lambda with captures";
  case PayloadFault::Lambda:
    return "a lambda: behaviour, not data";
  case PayloadFault::Never:
    return P.Detail;
  case PayloadFault::OwnsMemory:
    return "owns memory: its bytes point into this process's heap";
  case PayloadFault::Incomplete:
    return "an incomplete type";
  case PayloadFault::Polymorphic:
    return "has virtual functions: its bytes hold a pointer to this process's vtable";
  case PayloadFault::LibraryType:
    return "a library type with no known serialisation";
  case PayloadFault::NotTriviallyCopyable:
    return "not trivially copyable";
  default:
    return {};
  }
}

/// How a callable given the wrong way reads, or empty for a type fault.
std::string callableWords(const PayloadProblem& P) {
  const std::string& Api = P.Subject.Api;
  std::string NameIt = "name the function at compile time: " + Api + "<&fn>(args...)";
  switch (P.Fault) {
  case PayloadFault::MemberFunction:
    return "is a pointer to member function, which needs an object in this process; make '" +
           P.Detail + "' a named free function and pass the object's state as arguments: " + Api +
           "<&fn>(args...)";
  case PayloadFault::ClosureWithCaptures: {
    std::string Names;
    for (const std::string& N : P.Captures)
      Names += (Names.empty() ? "'" : ", '") + N + "'";
    return "captures " + Names +
           " (a closure with captures); make it a named free function and pass its state as "
           "arguments: " +
           Api + "<&fn>(args...)";
  }
  case PayloadFault::ClosureAtRunTime:
    return "is passed at run time, and closures cannot cross a process boundary; " + NameIt +
           ", or " + Api + "<+[](...) {...}>(args...)";
  case PayloadFault::FunctionPointerAtRunTime:
    return "is a function pointer passed at run time; " + NameIt;
  case PayloadFault::FunctionObjectAtRunTime:
    return "is a function object passed at run time; " + NameIt;
  case PayloadFault::CapturesByReference:
    return "captures '" + P.Captures.front() + "' by reference";
  default:
    return {};
  }
}

/// `is 'std::ostream &' (a reference)`, `holds 'std::vector<Job>', whose 'Job::sink' is ...`.
std::string reasonWords(const PayloadProblem& P) {
  if (std::string Callable = callableWords(P); !Callable.empty())
    return Callable;
  std::string Text = P.Holds ? "holds " : "is ";
  for (const PayloadHolder& H : P.Through)
    Text += "'" + H.Type + "', whose '" + H.Path + "' " + (H.Holds ? "holds " : "is ");
  if (P.Fault == PayloadFault::NoProtocol)
    return Text + "'" + P.Offender +
           "', which has no serialisation function (give it a cereal serialize(Archive&) "
           "member or save/load functions)";
  return Text + "'" + P.Offender + "' (" + faultWords(P) + ")";
}

class NonSerialisableProcessPayloadCheck : public Check {
public:
  NonSerialisableProcessPayloadCheck() : Check(checkInfo()) {}

protected:
  void check(const CheckContext& Context) override {
    for (const FunctionFacts* F : Context.Prog.functions())
      for (const Submission& S : F->Submissions) {
        if (S.Role != ExecutorRole::Process)
          continue;
        for (const PayloadProblem& P : S.PayloadProblems) {
          std::string Subject = subjectWords(P.Subject);
          std::string Message = Subject;
          if (!P.Type.empty())
            Message += " of type '" + P.Type + "'";
          Message += " cannot cross a process boundary: ";
          Message += P.Path.empty() ? "it " + reasonWords(P) : "'" + P.Path + "' " + reasonWords(P);
          report(S.Loc, std::move(Message))
              .level(P.Certain ? Level::Error : Level::Warning)
              .step(S.Loc, "'" + F->Name + "' hands it to '" + S.Api + "' here")
              .fingerprint({F->Loc.File, F->Name, S.Api, Subject, P.Type, P.Path});
        }
      }
  }
};

} // namespace

std::unique_ptr<Check> createNonSerialisableProcessPayloadCheck() {
  return std::make_unique<NonSerialisableProcessPayloadCheck>();
}

} // namespace taskfit
