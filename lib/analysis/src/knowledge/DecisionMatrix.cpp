//===- DecisionMatrix.cpp - Loading and applying rules/decision-matrix.yaml -===//

#include "taskfit/analysis/DecisionMatrix.h"

#include "knowledge/YamlReader.h"

#include "llvm/ADT/STLExtras.h"

namespace taskfit {

static constexpr const char* RowShape =
    "{when: {class: cpu|io|mixed|trivial, volume: '<N'|'>=N'|'>N'|'N..M'|unknown|[...], "
    "payload: serialisable|shares-memory, caller: async|sync}, recommended: <model>, "
    "alternative: <model>, api: <taskfit API>, alternative-api: <API>, reason: <sentence>}";

bool MatrixRow::matches(const WorkProfile& W) const {
  if (Class != W.Class)
    return false;
  if (Payload == "serialisable" && !W.SerialisablePayload)
    return false;
  if (Payload == "shares-memory" && W.SerialisablePayload)
    return false;
  if ((Caller == "async" && !W.CallerAsync) || (Caller == "sync" && W.CallerAsync))
    return false;
  if (Volumes.empty())
    return true;
  return llvm::any_of(Volumes, [&](const Range& R) {
    if (!W.Tasks.Count)
      return R.Unknown;
    return !R.Unknown && (!R.Min || *W.Tasks.Count >= *R.Min) &&
           (!R.Max || *W.Tasks.Count <= *R.Max);
  });
}

const MatrixRow* DecisionMatrix::decide(const WorkProfile& W) const {
  for (const MatrixRow& Row : Rows)
    if (Row.matches(W))
      return &Row;
  return nullptr;
}

std::string DecisionMatrix::volumeLevel(const Volume& V) const {
  if (!V.Count)
    return "unknown";
  if (*V.Count < LowBelow)
    return "low";
  return *V.Count > HighAbove ? "high" : "medium";
}

/// `<10`, `<=10`, `>=10`, `>1000`, `100..1000`, `unknown`.
static std::optional<MatrixRow::Range> parseRange(llvm::StringRef S) {
  MatrixRow::Range R;
  S = S.trim();
  int64_t A = 0, B = 0;
  if (S == "unknown") {
    R.Unknown = true;
  } else if (S.consume_front("<=")) {
    if (S.trim().getAsInteger(10, A))
      return std::nullopt;
    R.Max = A;
  } else if (S.consume_front(">=")) {
    if (S.trim().getAsInteger(10, A))
      return std::nullopt;
    R.Min = A;
  } else if (S.consume_front("<")) {
    if (S.trim().getAsInteger(10, A))
      return std::nullopt;
    R.Max = A - 1;
  } else if (S.consume_front(">")) {
    if (S.trim().getAsInteger(10, A))
      return std::nullopt;
    R.Min = A + 1;
  } else {
    auto [Low, High] = S.split("..");
    if (Low.trim().getAsInteger(10, A) || High.trim().getAsInteger(10, B) || A > B)
      return std::nullopt;
    R.Min = A;
    R.Max = B;
  }
  return R;
}

namespace {

using ListForm = YamlReader::ListForm;

/// Reads one matrix file: its rows after those loaded before, and its volume levels.
class MatrixLoader {
public:
  MatrixLoader(const YamlReader& Yaml, std::vector<MatrixRow>& Rows, int64_t& LowBelow,
               int64_t& HighAbove)
      : Yaml(Yaml), Rows(Rows), LowBelow(LowBelow), HighAbove(HighAbove) {}

  llvm::Error load(const YAML::Node& Root) {
    if (!Root.IsMap())
      return Yaml.error(Root, "a decision matrix must be a mapping",
                        "version: 1, volume-levels: {...}, rows: [...]");
    for (const auto& Entry : Root) {
      std::string Key = Entry.first.Scalar();
      const YAML::Node& V = Entry.second;
      llvm::Error Err = llvm::Error::success();
      if (Key == "version")
        Err = Yaml.version(V, "decision matrix");
      else if (Key == "volume-levels")
        Err = loadVolumeLevels(V);
      else if (Key == "rows")
        Err = loadRows(V);
      else
        Err = Yaml.error(Entry.first, "unknown key '" + Key + "'",
                         "one of version, volume-levels, rows");
      if (Err)
        return Err;
    }
    return llvm::Error::success();
  }

private:
  llvm::Error loadVolumeLevels(const YAML::Node& V) {
    const char* Shape = "volume-levels: {low-below: <n>, high-above: <n>}";
    if (!V.IsMap() || !V["low-below"] || !V["high-above"] ||
        llvm::StringRef(V["low-below"].Scalar()).getAsInteger(10, LowBelow) ||
        llvm::StringRef(V["high-above"].Scalar()).getAsInteger(10, HighAbove) ||
        LowBelow > HighAbove)
      return Yaml.error(V, "bad volume levels", Shape);
    return llvm::Error::success();
  }

  llvm::Error loadRows(const YAML::Node& V) {
    if (!V.IsSequence())
      return Yaml.error(V, "expected a list of rows", RowShape);
    for (const auto& Item : V) {
      if (!Item.IsMap())
        return Yaml.error(Item, "expected a row", RowShape);
      auto Row = loadRow(Item);
      if (!Row)
        return Row.takeError();
      Rows.push_back(std::move(*Row));
    }
    return llvm::Error::success();
  }

  llvm::Expected<MatrixRow> loadRow(const YAML::Node& Item) {
    MatrixRow Row;
    Row.Origin = Yaml.file() + ":" + std::to_string(Item.Mark().line + 1);
    std::pair<const char*, std::string*> Texts[] = {{"recommended", &Row.Recommended},
                                                    {"alternative", &Row.Alternative},
                                                    {"api", &Row.Api},
                                                    {"alternative-api", &Row.AlternativeApi},
                                                    {"reason", &Row.Reason}};
    for (const auto& Field : Item) {
      std::string Name = Field.first.Scalar();
      if (Name == "when") {
        if (auto Err = loadConditions(Field.second, Row))
          return std::move(Err);
        continue;
      }
      auto Text = llvm::find_if(Texts, [&](const auto& T) { return Name == T.first; });
      if (Text == std::end(Texts))
        return Yaml.error(Field.first, "unknown key '" + Name + "'", RowShape);
      auto Value = Yaml.scalar(Field.second, Name, RowShape);
      if (!Value)
        return Value.takeError();
      *Text->second = std::move(*Value);
    }
    if (Row.Class.empty() || Row.Recommended.empty() || Row.Api.empty() || Row.Reason.empty())
      return Yaml.error(Item, "a row needs when.class, recommended, api and reason", RowShape);
    return Row;
  }

  llvm::Error loadConditions(const YAML::Node& When, MatrixRow& Row) {
    if (!When.IsMap())
      return Yaml.error(When, "expected the row's conditions", RowShape);
    for (const auto& C : When) {
      std::string Cond = C.first.Scalar();
      if (Cond == "volume") {
        if (auto Err = loadVolumes(C.second, Row))
          return Err;
        continue;
      }
      std::string* Into = Cond == "class"     ? &Row.Class
                          : Cond == "payload" ? &Row.Payload
                          : Cond == "caller"  ? &Row.Caller
                                              : nullptr;
      if (!Into)
        return Yaml.error(C.first, "unknown condition '" + Cond + "'", RowShape);
      std::vector<llvm::StringRef> Allowed =
          Cond == "class"     ? std::vector<llvm::StringRef>{"cpu", "io", "mixed", "trivial"}
          : Cond == "payload" ? std::vector<llvm::StringRef>{"serialisable", "shares-memory", "any"}
                              : std::vector<llvm::StringRef>{"async", "sync", "any"};
      auto Value = Yaml.oneOf(C.second, Cond, Allowed, RowShape);
      if (!Value)
        return Value.takeError();
      *Into = *Value == "any" ? "" : *Value;
    }
    return llvm::Error::success();
  }

  llvm::Error loadVolumes(const YAML::Node& Volume, MatrixRow& Row) {
    std::vector<YAML::Node> Items;
    if (Volume.IsSequence())
      for (const auto& Item : Volume)
        Items.push_back(Item);
    else
      Items.push_back(Volume);
    for (const YAML::Node& I : Items) {
      if (I.IsScalar() && I.Scalar() == "any")
        continue;
      auto R = I.IsScalar() ? parseRange(I.Scalar()) : std::nullopt;
      if (!R)
        return Yaml.error(I, "bad volume",
                          "volume: '<10' | '>=10' | '>1000' | '100..1000' | unknown | any");
      Row.Volumes.push_back(*R);
    }
    return llvm::Error::success();
  }

  const YamlReader& Yaml;
  std::vector<MatrixRow>& Rows;
  int64_t& LowBelow;
  int64_t& HighAbove;
};

} // namespace

llvm::Error DecisionMatrix::loadFile(llvm::StringRef Path) {
  return loadYamlFile(Path, "decision matrix",
                      [&](llvm::StringRef Text) { return loadString(Text, Path); });
}

llvm::Error DecisionMatrix::loadString(llvm::StringRef Text, llvm::StringRef Path) {
  return loadYamlInto(
      *this, Text, Path, [](const YamlReader& Yaml, const YAML::Node& Root, DecisionMatrix& Into) {
        return MatrixLoader(Yaml, Into.Rows, Into.LowBelow, Into.HighAbove).load(Root);
      });
}

} // namespace taskfit
