//===- Extractor.cpp - AST -> Facts ---------------------------------------===//
//
// Two walks: FunctionCollector finds every function with a body outside
// system headers (template instantiations and lambda bodies included), and
// BodyScanner reads one body, stopping at nested lambdas, which are
// functions of their own.
//
//===----------------------------------------------------------------------===//

#include "taskfit/analysis/Extractor.h"

#include "taskfit/analysis/ArgumentPredicates.h"
#include "taskfit/analysis/Names.h"
#include "taskfit/analysis/RuleSet.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Index/USRGeneration.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Support/Path.h"

using namespace clang;

namespace taskfit {
namespace {

/// Turns clang locations into Facts locations, caching per file.
class LocationMapper {
public:
  LocationMapper(const SourceManager& SM, llvm::StringRef Root) : SM(SM), Root(Root) {}

  SourceLoc map(SourceLocation Loc) {
    if (Loc.isInvalid())
      return {};
    Loc = SM.getFileLoc(Loc);
    FileID File = SM.getFileID(Loc);
    return {path(File), SM.getSpellingLineNumber(Loc), SM.getSpellingColumnNumber(Loc)};
  }

private:
  const std::string& path(FileID File) {
    auto [It, Inserted] = Paths.try_emplace(File);
    if (!Inserted)
      return It->second;
    std::string Name;
    if (OptionalFileEntryRef Entry = SM.getFileEntryRefForID(File)) {
      llvm::StringRef Real = Entry->getFileEntry().tryGetRealPathName();
      Name = Real.empty() ? Entry->getName().str() : Real.str();
    }
    llvm::StringRef Relative = Name;
    if (!Root.empty() && Relative.consume_front(Root) &&
        (Relative.empty() || llvm::sys::path::is_separator(Relative.front()))) {
      Relative = Relative.drop_while([](char C) { return llvm::sys::path::is_separator(C); });
      Name = Relative.str();
    }
    It->second = std::move(Name);
    return It->second;
  }

  const SourceManager& SM;
  std::string Root;
  llvm::DenseMap<FileID, std::string> Paths;
};

std::string usrOf(const Decl* D) {
  llvm::SmallString<128> Buffer;
  if (index::generateUSRForDecl(D, Buffer))
    return {};
  return std::string(Buffer);
}

const FunctionDecl* lambdaCallOperator(const Expr* E) {
  if (const auto* Lambda = dyn_cast_or_null<LambdaExpr>(E))
    return Lambda->getCallOperator();
  return nullptr;
}

/// Strips what wraps a callable argument: casts, temporaries, copies, `&f`.
const Expr* peelCallable(const Expr* E) {
  while (E) {
    E = E->IgnoreParenImpCasts();
    if (const auto* M = dyn_cast<MaterializeTemporaryExpr>(E))
      E = M->getSubExpr();
    else if (const auto* B = dyn_cast<CXXBindTemporaryExpr>(E))
      E = B->getSubExpr();
    else if (const auto* F = dyn_cast<CXXFunctionalCastExpr>(E))
      E = F->getSubExpr();
    else if (const auto* U = dyn_cast<UnaryOperator>(E); U && U->getOpcode() == UO_AddrOf)
      E = U->getSubExpr();
    else if (const auto* C = dyn_cast<CXXConstructExpr>(E);
             C && C->getNumArgs() == 1 && C->getConstructor()->isCopyOrMoveConstructor())
      E = C->getArg(0);
    else
      return E;
  }
  return E;
}

class Extraction {
public:
  Extraction(ASTContext& Context, const RuleSet& Rules, llvm::StringRef Root)
      : Context(Context), SM(Context.getSourceManager()), Rules(Rules), Locations(SM, Root) {}

  std::string describe(const FunctionDecl* F) {
    if (const auto* Method = dyn_cast<CXXMethodDecl>(F);
        Method && Method->getParent()->isLambda()) {
      SourceLoc L = Locations.map(Method->getParent()->getLocation());
      return "lambda at " + L.File + ":" + std::to_string(L.Line) + ":" + std::to_string(L.Column);
    }
    return F->getQualifiedNameAsString();
  }

  /// The function a callable argument names: a lambda (directly or through a
  /// local variable), a function or a `std::bind` of one.
  const FunctionDecl* resolveCallable(const Expr* E) {
    E = peelCallable(E);
    if (!E)
      return nullptr;
    if (const FunctionDecl* Op = lambdaCallOperator(E))
      return Op;
    if (const auto* Ref = dyn_cast<DeclRefExpr>(E)) {
      if (const auto* Function = dyn_cast<FunctionDecl>(Ref->getDecl()))
        return Function;
      if (const auto* Var = dyn_cast<VarDecl>(Ref->getDecl()); Var && Var->isLocalVarDecl())
        return lambdaCallOperator(peelCallable(Var->getInit()));
    }
    if (const auto* Call = dyn_cast<CallExpr>(E))
      if (const FunctionDecl* Callee = Call->getDirectCallee())
        if (matchName(Callee) == "std::bind" && Call->getNumArgs() > 0)
          return resolveCallable(Call->getArg(0));
    return nullptr;
  }

  std::optional<BlockingMatch> matchBlocking(const CallView& Call, llvm::StringRef Name) {
    for (const BlockingRule* Rule : Rules.blockingRulesFor(Name)) {
      auto Holds = [&](const ArgPredicate& P) { return holds(P, Call, Context); };
      if (!Rule->BlockingOnlyIf.empty() &&
          std::none_of(Rule->BlockingOnlyIf.begin(), Rule->BlockingOnlyIf.end(), Holds))
        continue;
      if (std::any_of(Rule->NonBlockingIf.begin(), Rule->NonBlockingIf.end(), Holds))
        return std::nullopt;
      return BlockingMatch{Rule->Name, Rule->Category, Rule->Replacement};
    }
    if (hasEffect(Call.Callee, FunctionEffect::Kind::Blocking))
      return BlockingMatch{Call.Callee->getQualifiedNameAsString(), "annotated",
                           "offload the call with co_await taskfit::to_thread(...)"};
    return std::nullopt;
  }

  static bool hasEffect(const FunctionDecl* F, FunctionEffect::Kind Kind) {
    for (const FunctionEffectWithCondition& E : F->getFunctionEffects())
      if (E.Effect.kind() == Kind)
        return true;
    return false;
  }

  /// Submissions for an executor call; empty when the callee is no executor.
  /// Sets Handled when the callee is an executor, whatever its arguments.
  std::vector<Submission> matchExecutor(const CallView& Call, llvm::StringRef Name,
                                        SourceLocation Loc, bool& Handled) {
    std::vector<Submission> Out;
    for (const ExecutorRule* Rule : Rules.executorRulesFor(Name)) {
      Handled = true;
      std::string Role = Rule->Role;
      if (Rule->ExecutorArg)
        if (const Expr* Executor = Call.argument(*Rule->ExecutorArg)) {
          QualType Type = Executor->IgnoreParenImpCasts()->getType();
          if (Type->isPointerType())
            Type = Type->getPointeeType();
          std::string TypeName = typeMatchName(Type);
          for (const auto& [Pattern, ByRole] : Rule->RoleByExecutor)
            if (globMatch(Pattern, TypeName)) {
              Role = ByRole;
              break;
            }
        }
      for (const ArgRef& Ref : Rule->Callables) {
        const FunctionDecl* Target = nullptr;
        if (Ref.K == ArgRef::Kind::TemplateIndex) {
          if (const TemplateArgumentList* Args = Call.Callee->getTemplateSpecializationArgs();
              Args && Ref.Index < Args->size() &&
              (*Args)[Ref.Index].getKind() == TemplateArgument::Declaration)
            Target = dyn_cast<FunctionDecl>((*Args)[Ref.Index].getAsDecl());
        } else {
          Target = resolveCallable(Call.argument(Ref));
        }
        if (!Target)
          continue;
        Out.push_back({Locations.map(Loc), Rule->Name, Role, usrOf(Target->getCanonicalDecl()),
                       describe(Target)});
      }
      if (!Out.empty())
        break;
    }
    return Out;
  }

  ASTContext& Context;
  const SourceManager& SM;
  const RuleSet& Rules;
  LocationMapper Locations;
};

/// Reads one function body. Nested lambdas are not entered: their bodies are
/// functions of their own, reached through call edges or submissions.
class BodyScanner : public RecursiveASTVisitor<BodyScanner> {
public:
  BodyScanner(Extraction& X, FunctionFacts& Out) : X(X), Out(Out) {}

  bool shouldVisitTemplateInstantiations() const { return true; }

  bool TraverseLambdaExpr(LambdaExpr* Lambda) {
    for (const LambdaCapture& Capture : Lambda->captures())
      if (Lambda->isInitCapture(&Capture))
        if (const auto* Var = dyn_cast<VarDecl>(Capture.getCapturedVar()))
          TraverseStmt(const_cast<Expr*>(Var->getInit()));
    return true;
  }
  bool TraverseCXXRecordDecl(CXXRecordDecl*) { return true; } // Local classes: their own functions.
  bool TraverseFunctionDecl(FunctionDecl*) { return true; }
  bool TraverseCXXMethodDecl(CXXMethodDecl*) { return true; }

  bool VisitCoawaitExpr(CoawaitExpr*) {
    Suspends = true;
    return true;
  }
  bool VisitDependentCoawaitExpr(DependentCoawaitExpr*) {
    Suspends = true;
    return true;
  }
  bool VisitCoyieldExpr(CoyieldExpr*) {
    Yields = true;
    return true;
  }

  bool VisitCallExpr(CallExpr* Call) {
    const FunctionDecl* Callee = Call->getDirectCallee();
    if (!Callee)
      return true; // Indirect: unknown, never guessed.
    std::vector<const Expr*> Args(Call->arg_begin(), Call->arg_end());
    CallView View{Callee, nullptr, {}};
    SourceLocation Loc = Call->getExprLoc();
    bool QualifiedCall = false;
    if (const auto* Member = dyn_cast<CXXMemberCallExpr>(Call)) {
      View.Object = Member->getImplicitObjectArgument();
      if (const auto* ME = dyn_cast<MemberExpr>(Member->getCallee()->IgnoreParens())) {
        Loc = ME->getMemberLoc();
        QualifiedCall = ME->hasQualifier();
      }
    } else if (const auto* Op = dyn_cast<CXXOperatorCallExpr>(Call)) {
      Loc = Op->getOperatorLoc();
      if (isa<CXXMethodDecl>(Callee) && !Args.empty()) {
        View.Object = Args.front();
        Args.erase(Args.begin());
      }
    } else if (const auto* Ref = dyn_cast<DeclRefExpr>(Call->getCallee()->IgnoreParenImpCasts())) {
      Loc = Ref->getLocation();
    }
    // A virtual call may land in any override: follow it only when the target is certain.
    bool Followable = true;
    if (const auto* Method = dyn_cast<CXXMethodDecl>(Callee))
      if (Method->isVirtual() && !QualifiedCall && !Method->hasAttr<FinalAttr>() &&
          !Method->getParent()->hasAttr<FinalAttr>())
        Followable = false;
    View.Args = Args;
    record(View, Loc, Followable);
    return true;
  }

  bool VisitCXXConstructExpr(CXXConstructExpr* Construct) {
    const CXXConstructorDecl* Ctor = Construct->getConstructor();
    if (!Ctor || Ctor->isImplicit() || Ctor->getParent()->isLambda())
      return true;
    std::vector<const Expr*> Args(Construct->arg_begin(), Construct->arg_end());
    CallView View{Ctor, nullptr, Args};
    record(View, Construct->getLocation(), /*Followable=*/true);
    return true;
  }

  bool Suspends = false;
  bool Yields = false;

private:
  void record(const CallView& Call, SourceLocation Loc, bool Followable) {
    const FunctionDecl* Callee = Call.Callee;
    std::string Name = matchName(Callee);
    bool IsExecutor = false;
    std::vector<Submission> Submissions = X.matchExecutor(Call, Name, Loc, IsExecutor);
    if (IsExecutor) {
      for (Submission& S : Submissions)
        Out.Submissions.push_back(std::move(S));
      return;
    }
    CallSite Site;
    Site.Loc = X.Locations.map(Loc);
    Site.CalleeName = X.describe(Callee);
    Site.Blocking = X.matchBlocking(Call, Name);
    bool InSystemHeader = X.SM.isInSystemHeader(Callee->getCanonicalDecl()->getLocation());
    if (!Site.Blocking && (InSystemHeader || Callee->isImplicit() || !Followable)) {
      recordInlineCallables(Call);
      return;
    }
    if (!InSystemHeader && Followable)
      Site.CalleeUsr = usrOf(Callee->getCanonicalDecl());
    Site.CalleeTrustedNonBlocking =
        Extraction::hasEffect(Callee, FunctionEffect::Kind::NonBlocking);
    Out.Calls.push_back(std::move(Site));
    recordInlineCallables(Call);
  }

  /// A lambda handed to a function that is no executor (std::for_each,
  /// std::sort, a user's helper) is assumed to run inline, in this context.
  void recordInlineCallables(const CallView& Call) {
    for (const Expr* Arg : Call.Args) {
      const Expr* Peeled = peelCallable(Arg);
      if (!Peeled || !(isa<LambdaExpr>(Peeled) || isa<DeclRefExpr>(Peeled)))
        continue;
      const FunctionDecl* Target = X.resolveCallable(Peeled);
      if (!Target || !isa<CXXMethodDecl>(Target) ||
          !cast<CXXMethodDecl>(Target)->getParent()->isLambda())
        continue;
      CallSite Site;
      Site.Loc = X.Locations.map(Arg->getBeginLoc());
      Site.CalleeUsr = usrOf(Target->getCanonicalDecl());
      Site.CalleeName = X.describe(Target);
      Site.Kind = CallKind::InlineCallable;
      Out.Calls.push_back(std::move(Site));
    }
  }

  Extraction& X;
  FunctionFacts& Out;
};

class FunctionCollector : public RecursiveASTVisitor<FunctionCollector> {
public:
  explicit FunctionCollector(const SourceManager& SM) : SM(SM) {}

  bool shouldVisitTemplateInstantiations() const { return true; }

  bool VisitFunctionDecl(FunctionDecl* F) {
    add(F);
    return true;
  }
  bool VisitLambdaExpr(LambdaExpr* Lambda) {
    add(Lambda->getCallOperator());
    return true;
  }

  std::vector<const FunctionDecl*> Functions;

private:
  void add(const FunctionDecl* F) {
    if (!F->doesThisDeclarationHaveABody() || F->isImplicit() && !isLambdaOperator(F))
      return;
    if (SM.isInSystemHeader(F->getLocation()) || !Seen.insert(F).second)
      return;
    Functions.push_back(F);
  }
  static bool isLambdaOperator(const FunctionDecl* F) {
    const auto* M = dyn_cast<CXXMethodDecl>(F);
    return M && M->getParent()->isLambda();
  }

  const SourceManager& SM;
  llvm::SmallPtrSet<const FunctionDecl*, 32> Seen;
};

} // namespace

std::vector<FunctionFacts> extractFunctionFacts(ASTContext& Context, const RuleSet& Rules,
                                                llvm::StringRef SourceRoot) {
  Extraction X(Context, Rules, SourceRoot);
  FunctionCollector Collector(Context.getSourceManager());
  Collector.TraverseAST(Context);

  std::vector<FunctionFacts> Out;
  for (const FunctionDecl* F : Collector.Functions) {
    FunctionFacts Facts;
    Facts.Usr = usrOf(F->getCanonicalDecl());
    if (Facts.Usr.empty())
      continue;
    Facts.Name = X.describe(F);
    Facts.Loc = X.Locations.map(F->getLocation());
    Facts.TrustedNonBlocking = Extraction::hasEffect(F, FunctionEffect::Kind::NonBlocking);
    if (Extraction::hasEffect(F, FunctionEffect::Kind::Blocking))
      Facts.DeclaredBlocking =
          BlockingMatch{F->getQualifiedNameAsString(), "annotated",
                        "offload the call with co_await taskfit::to_thread(...)"};
    for (const FunctionDecl* Redecl : F->redecls())
      for (const auto* Annotation : Redecl->specific_attrs<AnnotateAttr>())
        if (Annotation->getAnnotation() == "taskfit::event_loop")
          Facts.AnnotatedEventLoop = true;

    BodyScanner Scanner(X, Facts);
    Stmt* Body = F->getBody();
    const auto* Coroutine = dyn_cast<CoroutineBodyStmt>(Body);
    Scanner.TraverseStmt(Coroutine ? Coroutine->getBody() : Body);

    std::string ReturnType = typeMatchName(F->getReturnType());
    if (Coroutine) {
      if (Rules.taskType(ReturnType) || Rules.reactorFutureType(ReturnType))
        Facts.Coroutine = CoroutineKind::Async;
      else if (Rules.generatorType(ReturnType))
        Facts.Coroutine = CoroutineKind::Generator;
      else if (Scanner.Suspends)
        Facts.Coroutine = CoroutineKind::Async; // An in-house task type that awaits.
      else if (Scanner.Yields)
        Facts.Coroutine = CoroutineKind::Generator;
      if (Facts.Coroutine != CoroutineKind::None)
        Facts.ReturnType = ReturnType;
    } else if (Rules.reactorFutureType(ReturnType)) {
      Facts.ReturnsReactorFuture = true;
      Facts.ReturnType = ReturnType;
    }
    Out.push_back(std::move(Facts));
  }
  return Out;
}

} // namespace taskfit
