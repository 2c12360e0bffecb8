//===- SarifWriter.cpp - SARIF 2.1.0 with llvm::json ----------------------===//
//
// Written by hand rather than with clang's SarifDocumentWriter, which cannot
// express help text, tags, fingerprints or notifications.
//
//===----------------------------------------------------------------------===//

#include "taskfit/analysis/SourceFiles.h"
#include "taskfit/report/Writers.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

using llvm::json::Array;
using llvm::json::Object;
using llvm::json::Value;

namespace taskfit {
namespace {

constexpr const char* RootId = "%SRCROOT%";
constexpr const char* FingerprintKey = "taskfitFingerprint/v1";

/// Percent-encodes a path for a URI, keeping '/' and unreserved characters.
std::string encodeUri(llvm::StringRef Path) {
  std::string Out;
  for (unsigned char C : Path) {
    if (llvm::isAlnum(C) || C == '/' || C == '-' || C == '.' || C == '_' || C == '~')
      Out += C;
    else
      Out += llvm::formatv("%{0:X-2}", C).str();
  }
  return Out;
}

class Writer {
public:
  Writer(const AnalysisResult& Result, SourceFiles& Files, const ToolIdentity& Tool)
      : Result(Result), Files(Files), Tool(Tool) {}

  Value run() {
    Array Rules;
    for (const CheckInfo& C : Result.Checks)
      Rules.push_back(rule(C));

    Array Results;
    for (const Finding& F : Result.Findings)
      Results.push_back(result(F, F.Fingerprint));

    Array Notifications;
    for (const TUFailure& Failure : Result.Failures) {
      std::string Text = "could not analyse " + Failure.File;
      if (!Failure.Errors.empty())
        Text += ": " + Failure.Errors.front().Message;
      Object N{{"level", "error"},
               {"message", Object{{"text", Text}}},
               {"descriptor", Object{{"id", "translation-unit-failed"}}}};
      const SourceLoc& Where = Failure.Errors.empty() || Failure.Errors.front().Loc.File.empty()
                                   ? SourceLoc{Failure.File, 0, 0}
                                   : Failure.Errors.front().Loc;
      N["locations"] = Array{Object{{"physicalLocation", physical(Where)}}};
      Notifications.push_back(std::move(N));
    }

    Object Invocation{{"executionSuccessful", Result.Failures.empty()}};
    if (!Notifications.empty())
      Invocation["toolExecutionNotifications"] = std::move(Notifications);

    Object Driver{{"name", Tool.Name},
                  {"version", Tool.Version},
                  {"semanticVersion", Tool.Version},
                  {"rules", std::move(Rules)}};
    if (!Tool.DocsBaseUri.empty())
      Driver["informationUri"] = Tool.DocsBaseUri;

    Object Run{{"tool", Object{{"driver", std::move(Driver)}}},
               {"invocations", Array{std::move(Invocation)}},
               {"columnKind", "unicodeCodePoints"},
               {"results", std::move(Results)}};
    Run["originalUriBaseIds"] =
        Object{{RootId, Object{{"uri", "file://" + encodeUri(Result.SourceRoot) + "/"}}}};
    return Object{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                  {"version", "2.1.0"},
                  {"runs", Array{std::move(Run)}}};
  }

private:
  Value rule(const CheckInfo& C) {
    Object R{{"id", C.Id},
             {"name", C.Name},
             {"shortDescription", Object{{"text", C.ShortDescription}}},
             {"fullDescription", Object{{"text", C.FullDescription}}},
             {"help", Object{{"text", C.Help}}},
             {"defaultConfiguration", Object{{"level", levelName(C.DefaultLevel)}}}};
    if (!Tool.DocsBaseUri.empty())
      R["helpUri"] = Tool.DocsBaseUri + C.Id + ".md";
    Array Tags;
    for (const std::string& T : C.Tags)
      Tags.push_back(T);
    R["properties"] = Object{{"tags", std::move(Tags)}, {"precision", precisionName(C.Precision)}};
    return R;
  }

  /// Clang columns count bytes; SARIF's declared columnKind counts code points.
  unsigned codePointColumn(const SourceLoc& Loc) {
    llvm::StringRef Line = Files.line(Loc.File, Loc.Line);
    if (Line.empty())
      return Loc.Column;
    unsigned Column = 1;
    for (unsigned I = 0; I + 1 < Loc.Column && I < Line.size(); ++I)
      if ((static_cast<unsigned char>(Line[I]) & 0xC0) != 0x80)
        ++Column;
    return Column;
  }

  Value physical(const SourceLoc& Loc) {
    Object Artifact{{"uri", encodeUri(Loc.File)}};
    if (!llvm::StringRef(Loc.File).starts_with("/"))
      Artifact["uriBaseId"] = RootId;
    else
      Artifact["uri"] = "file://" + encodeUri(Loc.File);
    Object P{{"artifactLocation", std::move(Artifact)}};
    if (Loc.Line) {
      Object Region{{"startLine", Loc.Line}};
      if (Loc.Column)
        Region["startColumn"] = codePointColumn(Loc);
      P["region"] = std::move(Region);
    }
    return P;
  }

  Value result(const Finding& F, const std::string& Print) {
    size_t RuleIndex = 0;
    for (size_t I = 0; I < Result.Checks.size(); ++I)
      if (Result.Checks[I].Id == F.CheckId)
        RuleIndex = I;
    Object R{{"ruleId", F.CheckId},
             {"ruleIndex", static_cast<int64_t>(RuleIndex)},
             {"level", levelName(F.Severity)},
             {"message", Object{{"text", F.Message}}},
             {"locations", Array{Object{{"physicalLocation", physical(F.Loc)}}}},
             {"partialFingerprints", Object{{FingerprintKey, Print}}}};
    if (F.Trace.size() > 1) {
      Array Steps;
      for (const FindingStep& S : F.Trace)
        Steps.push_back(Object{{"location", Object{{"physicalLocation", physical(S.Loc)},
                                                   {"message", Object{{"text", S.Message}}}}}});
      R["codeFlows"] =
          Array{Object{{"threadFlows", Array{Object{{"locations", std::move(Steps)}}}}}};
    }
    if (!F.Context.empty()) {
      Array Related;
      int64_t Id = 1;
      for (const FindingStep& S : F.Context)
        Related.push_back(Object{{"id", Id++},
                                 {"physicalLocation", physical(S.Loc)},
                                 {"message", Object{{"text", S.Message}}}});
      R["relatedLocations"] = std::move(Related);
    }
    return R;
  }

  const AnalysisResult& Result;
  SourceFiles& Files;
  const ToolIdentity& Tool;
};

} // namespace

void writeSarif(llvm::raw_ostream& OS, const AnalysisResult& Result, SourceFiles& Files,
                const ToolIdentity& Tool) {
  OS << llvm::formatv("{0:2}", Writer(Result, Files, Tool).run()) << '\n';
}

} // namespace taskfit
