//===- NonSerialisableProcessPayloadCheck.cpp -----------------------------===//
//
// non-serialisable-process-payload: a callable or argument handed across a
// process boundary that cannot be serialised, reported like a pickling error
// but before run time, with the path to the offending member. The extractor
// judges each payload (PayloadAssessment.cpp); this check reports what it
// found. See docs/checks/non-serialisable-process-payload.md.
//
//===----------------------------------------------------------------------===//

#include "taskfit/analysis/Check.h"

namespace taskfit {
namespace {

class NonSerialisableProcessPayloadCheck : public Check {
public:
  NonSerialisableProcessPayloadCheck() {
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
  }

  const CheckInfo& info() const override { return Info; }

  void run(const AnalysisContext& Context, std::vector<Finding>& Out) const override {
    for (const FunctionFacts* F : Context.Prog.functions())
      for (const Submission& S : F->Submissions) {
        if (S.Role != "process")
          continue;
        for (const PayloadProblem& P : S.PayloadProblems) {
          Finding Found;
          Found.CheckId = Info.Id;
          Found.Severity = P.Certain ? Level::Error : Level::Warning;
          Found.Loc = S.Loc;
          Found.Message = P.Subject;
          if (!P.Type.empty())
            Found.Message += " of type '" + P.Type + "'";
          Found.Message += " cannot cross a process boundary: ";
          Found.Message += P.Path.empty() ? "it " + P.Reason : "'" + P.Path + "' " + P.Reason;
          Found.Trace.push_back({S.Loc, "'" + F->Name + "' hands it to '" + S.Api + "' here"});
          Found.FingerprintKey = Info.Id + "|" + F->Loc.File + "|" + F->Name + "|" + S.Api + "|" +
                                 P.Subject + "|" + P.Type + "|" + P.Path;
          Out.push_back(std::move(Found));
        }
      }
  }

private:
  CheckInfo Info;
};

} // namespace

std::unique_ptr<Check> createNonSerialisableProcessPayloadCheck() {
  return std::make_unique<NonSerialisableProcessPayloadCheck>();
}

} // namespace taskfit
