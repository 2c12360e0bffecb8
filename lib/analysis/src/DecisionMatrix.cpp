//===- DecisionMatrix.cpp - Loading and applying rules/decision-matrix.yaml -===//

#include "taskfit/analysis/DecisionMatrix.h"

#include "taskfit/analysis/YamlErrors.h"

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

llvm::Error DecisionMatrix::loadFile(llvm::StringRef Path) {
  auto Text = readYamlFile(Path, "decision matrix");
  if (!Text)
    return Text.takeError();
  return loadString(*Text, Path);
}

llvm::Error DecisionMatrix::loadString(llvm::StringRef Text, llvm::StringRef Path) {
  YamlContext Ctx{Path.str()};
  auto Root = Ctx.parse(Text);
  if (!Root)
    return Root.takeError();
  std::vector<MatrixRow> Loaded;
  int64_t Low = LowBelow, High = HighAbove;
  auto Scalar = [&](const YAML::Node& N, llvm::StringRef Key, std::string& Out,
                    std::initializer_list<llvm::StringRef> Allowed = {}) -> llvm::Error {
    if (!N.IsScalar() || N.Scalar().empty())
      return Ctx.error(N, "expected a non-empty string for '" + Key + "'", RowShape);
    if (Allowed.size() && llvm::find(Allowed, N.Scalar()) == Allowed.end())
      return Ctx.error(N, "unknown " + Key + " '" + N.Scalar() + "'", RowShape);
    Out = N.Scalar();
    return llvm::Error::success();
  };
  llvm::Error Err = Ctx.guard([&]() -> llvm::Error {
    if (!Root->IsMap())
      return Ctx.error(*Root, "a decision matrix must be a mapping",
                       "version: 1, volume-levels: {...}, rows: [...]");
    for (const auto& Entry : *Root) {
      std::string Key = Entry.first.Scalar();
      const YAML::Node& V = Entry.second;
      if (Key == "version") {
        if (!V.IsScalar() || V.Scalar() != "1")
          return Ctx.error(V, "unsupported decision matrix version", "version: 1");
      } else if (Key == "volume-levels") {
        const char* Shape = "volume-levels: {low-below: <n>, high-above: <n>}";
        if (!V.IsMap() || !V["low-below"] || !V["high-above"] ||
            llvm::StringRef(V["low-below"].Scalar()).getAsInteger(10, Low) ||
            llvm::StringRef(V["high-above"].Scalar()).getAsInteger(10, High) || Low > High)
          return Ctx.error(V, "bad volume levels", Shape);
      } else if (Key == "rows") {
        if (!V.IsSequence())
          return Ctx.error(V, "expected a list of rows", RowShape);
        for (const auto& Item : V) {
          if (!Item.IsMap())
            return Ctx.error(Item, "expected a row", RowShape);
          MatrixRow Row;
          Row.Origin = Path.str() + ":" + std::to_string(Item.Mark().line + 1);
          for (const auto& Field : Item) {
            std::string Name = Field.first.Scalar();
            const YAML::Node& F = Field.second;
            llvm::Error E = llvm::Error::success();
            if (Name == "when") {
              if (!F.IsMap())
                return Ctx.error(F, "expected the row's conditions", RowShape);
              for (const auto& C : F) {
                std::string Cond = C.first.Scalar();
                if (Cond == "class") {
                  E = Scalar(C.second, Cond, Row.Class, {"cpu", "io", "mixed", "trivial"});
                } else if (Cond == "payload") {
                  E = Scalar(C.second, Cond, Row.Payload, {"serialisable", "shares-memory", "any"});
                } else if (Cond == "caller") {
                  E = Scalar(C.second, Cond, Row.Caller, {"async", "sync", "any"});
                } else if (Cond == "volume") {
                  std::vector<YAML::Node> Items;
                  if (C.second.IsSequence())
                    for (const auto& I : C.second)
                      Items.push_back(I);
                  else
                    Items.push_back(C.second);
                  for (const YAML::Node& I : Items) {
                    if (I.IsScalar() && I.Scalar() == "any")
                      continue;
                    auto R = I.IsScalar() ? parseRange(I.Scalar()) : std::nullopt;
                    if (!R)
                      return Ctx.error(
                          I, "bad volume",
                          "volume: '<10' | '>=10' | '>1000' | '100..1000' | unknown | any");
                    Row.Volumes.push_back(*R);
                  }
                } else {
                  return Ctx.error(C.first, "unknown condition '" + Cond + "'", RowShape);
                }
                if (E)
                  return E;
              }
            } else if (Name == "recommended") {
              E = Scalar(F, Name, Row.Recommended);
            } else if (Name == "alternative") {
              E = Scalar(F, Name, Row.Alternative);
            } else if (Name == "api") {
              E = Scalar(F, Name, Row.Api);
            } else if (Name == "alternative-api") {
              E = Scalar(F, Name, Row.AlternativeApi);
            } else if (Name == "reason") {
              E = Scalar(F, Name, Row.Reason);
            } else {
              return Ctx.error(Field.first, "unknown key '" + Name + "'", RowShape);
            }
            if (E)
              return E;
          }
          if (Row.Payload == "any")
            Row.Payload.clear();
          if (Row.Caller == "any")
            Row.Caller.clear();
          if (Row.Class.empty() || Row.Recommended.empty() || Row.Api.empty() || Row.Reason.empty())
            return Ctx.error(Item, "a row needs when.class, recommended, api and reason", RowShape);
          Loaded.push_back(std::move(Row));
        }
      } else {
        return Ctx.error(Entry.first, "unknown key '" + Key + "'",
                         "one of version, volume-levels, rows");
      }
    }
    return llvm::Error::success();
  });
  if (Err)
    return Err;
  Rows.insert(Rows.end(), Loaded.begin(), Loaded.end());
  LowBelow = Low;
  HighAbove = High;
  return llvm::Error::success();
}

} // namespace taskfit
