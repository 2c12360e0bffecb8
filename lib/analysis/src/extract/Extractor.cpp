//===- Extractor.cpp - AST -> Facts ---------------------------------------===//
//
// FunctionCollector walks the user's declarations (system headers are skipped
// whole) for functions with bodies; BodyScanner reads one body, stopping at
// nested lambdas, which are functions of their own. Template instantiations
// are not walked wholesale: the ones user code calls, and the lambdas inside
// them, are discovered from the bodies that use them, so the cost follows the
// user's code, not the standard library's.
//
//===----------------------------------------------------------------------===//

#include "extract/Extractor.h"

#include "extract/ArgumentPredicates.h"
#include "extract/DescriptorRecognizer.h"
#include "extract/LockRecognizer.h"
#include "extract/LoopFacts.h"
#include "extract/MatchNames.h"
#include "extract/ObjectIdentity.h"
#include "extract/PayloadAssessment.h"
#include "extract/ProjectBoundary.h"
#include "knowledge/Names.h"
#include "knowledge/RuleSet.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/Builtins.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Index/USRGeneration.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Path.h"

using namespace clang;

namespace taskfit {
namespace {

/// Turns clang locations into Facts locations, caching per file.
class LocationMapper {
public:
  LocationMapper(const SourceManager& SM, const LangOptions& Lang, llvm::StringRef Root)
      : SM(SM), Lang(Lang), Root(Root) {}

  SourceLoc map(SourceLocation Loc) {
    if (Loc.isInvalid())
      return {};
    std::string Macro = macroAround(Loc);
    Loc = SM.getFileLoc(Loc);
    FileID File = SM.getFileID(Loc);
    return {path(File), SM.getSpellingLineNumber(Loc), SM.getSpellingColumnNumber(Loc),
            std::move(Macro)};
  }

private:
  /// The macro written in the file whose body holds Loc (the outermost one
  /// of nested expansions), or none when Loc is in the file or in a macro
  /// argument written there, as getFileLoc sees it.
  std::string macroAround(SourceLocation Loc) const {
    std::string Name;
    while (Loc.isMacroID()) {
      if (SM.isMacroArgExpansion(Loc)) {
        Loc = SM.getImmediateSpellingLoc(Loc);
        continue;
      }
      Name = Lexer::getImmediateMacroName(Loc, SM, Lang).str();
      Loc = SM.getImmediateExpansionRange(Loc).getBegin();
    }
    return Name;
  }

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
  const LangOptions& Lang;
  std::string Root;
  llvm::DenseMap<FileID, std::string> Paths;
};

/// Appends where each lambda among a specialisation's template arguments is
/// written: clang's USRs of `retry(<lambda 1>)` and `retry(<lambda 2>)`
/// collide when both lambdas are written in the same function, and linking
/// by USR would merge the two instantiations. File name and offset, as clang
/// itself writes locations into USRs, so that headers agree across TUs.
void appendClosureArguments(const Decl* D, llvm::SmallString<128>& Usr) {
  const SourceManager& SM = D->getASTContext().getSourceManager();
  auto Append = [&](const TemplateArgument& Arg, auto& Self) -> void {
    if (Arg.getKind() == TemplateArgument::Pack) {
      for (const TemplateArgument& Element : Arg.pack_elements())
        Self(Element, Self);
      return;
    }
    if (Arg.getKind() != TemplateArgument::Type)
      return;
    const CXXRecordDecl* Closure = Arg.getAsType().getNonReferenceType()->getAsCXXRecordDecl();
    if (!Closure || !Closure->isLambda())
      return;
    auto [File, Offset] = SM.getDecomposedLoc(SM.getFileLoc(Closure->getLocation()));
    Usr += "#lambda@";
    if (OptionalFileEntryRef Entry = SM.getFileEntryRefForID(File))
      Usr += llvm::sys::path::filename(Entry->getName());
    Usr += "@" + std::to_string(Offset);
  };
  if (const auto* F = dyn_cast<FunctionDecl>(D))
    if (const TemplateArgumentList* Args = F->getTemplateSpecializationArgs())
      for (const TemplateArgument& Arg : Args->asArray())
        Append(Arg, Append);
  for (const DeclContext* Ctx = D->getDeclContext(); Ctx; Ctx = Ctx->getParent())
    if (const auto* Spec = dyn_cast<ClassTemplateSpecializationDecl>(Ctx))
      for (const TemplateArgument& Arg : Spec->getTemplateArgs().asArray())
        Append(Arg, Append);
}

std::string usrOf(const Decl* D) {
  llvm::SmallString<128> Buffer;
  if (index::generateUSRForDecl(D, Buffer))
    return {};
  appendClosureArguments(D, Buffer);
  return std::string(Buffer);
}

const FunctionDecl* lambdaCallOperator(const Expr* E) {
  if (const auto* Lambda = dyn_cast_or_null<LambdaExpr>(E))
    return Lambda->getCallOperator();
  return nullptr;
}

/// The variable or field an expression names (`pool`, `this->pool_`, `*pool`).
const ValueDecl* namedObject(const Expr* E) {
  E = E->IgnoreParenImpCasts();
  if (const auto* Unary = dyn_cast<UnaryOperator>(E))
    E = Unary->getSubExpr()->IgnoreParenImpCasts();
  if (const auto* Ref = dyn_cast<DeclRefExpr>(E))
    return isa<VarDecl>(Ref->getDecl()) ? Ref->getDecl() : nullptr;
  if (const auto* Member = dyn_cast<MemberExpr>(E))
    return dyn_cast<FieldDecl>(Member->getMemberDecl());
  return nullptr;
}

/// The loop an expression stands for: `io`, `&io`, `io.get_executor()`.
const Expr* loopObjectOf(const Expr* E) {
  E = E->IgnoreParenImpCasts();
  if (const auto* Get = dyn_cast<CXXMemberCallExpr>(E))
    if (const CXXMethodDecl* Method = Get->getMethodDecl();
        Method && Method->getIdentifier() && Method->getName() == "get_executor")
      return Get->getImplicitObjectArgument()->IgnoreParenImpCasts();
  return E;
}

/// Whether E names an object itself, not a reference, a pointer or a
/// parameter to one: all its uses are in the program.
bool isOwnedObject(const Expr* E) {
  E = E->IgnoreParenImpCasts();
  if (const auto* Unary = dyn_cast<UnaryOperator>(E); Unary && Unary->getOpcode() == UO_AddrOf)
    E = Unary->getSubExpr()->IgnoreParenImpCasts();
  const ValueDecl* D = nullptr;
  // A global can be reached from anywhere, a parameter is someone else's:
  // neither is private to the code that posts to it.
  if (const auto* Ref = dyn_cast<DeclRefExpr>(E)) {
    if (const auto* Var = dyn_cast<VarDecl>(Ref->getDecl());
        Var && !isa<ParmVarDecl>(Var) && !Var->hasGlobalStorage())
      D = Var;
  } else if (const auto* Member = dyn_cast<MemberExpr>(E))
    D = dyn_cast<FieldDecl>(Member->getMemberDecl());
  return D && D->getType()->isRecordType();
}

/// The function whose result initialises a variable: `auto p = make()`,
/// through the copies and temporaries around it.
const FunctionDecl* makerOf(const Expr* Init) {
  while (Init) {
    Init = Init->IgnoreImplicit();
    if (const auto* Construct = dyn_cast<CXXConstructExpr>(Init)) {
      if (Construct->getNumArgs() != 1)
        return nullptr;
      Init = Construct->getArg(0);
    } else if (const auto* Call = dyn_cast<CallExpr>(Init)) {
      return Call->getDirectCallee();
    } else {
      return nullptr;
    }
  }
  return nullptr;
}

/// The number of elements of a range whose size the code fixes: an array, a
/// std::array, a braced list (also one that initialises a container).
std::optional<int64_t> constantRangeSize(const Expr* E, ASTContext& Context) {
  if (!E)
    return std::nullopt;
  E = E->IgnoreParenImpCasts();
  if (const auto* Ref = dyn_cast<DeclRefExpr>(E))
    if (const auto* Var = dyn_cast<VarDecl>(Ref->getDecl()); Var && Var->getInit()) {
      if (const auto* Array = Context.getAsConstantArrayType(Var->getType()))
        return Array->getSize().getZExtValue();
      E = Var->getInit();
    }
  QualType Type = E->getType().getNonReferenceType();
  if (const auto* Array = Context.getAsConstantArrayType(Type))
    return Array->getSize().getZExtValue();
  if (const auto* Spec =
          dyn_cast_or_null<ClassTemplateSpecializationDecl>(Type->getAsCXXRecordDecl());
      Spec && matchName(Spec) == "std::array" && Spec->getTemplateArgs().size() == 2 &&
      Spec->getTemplateArgs()[1].getKind() == TemplateArgument::Integral)
    return Spec->getTemplateArgs()[1].getAsIntegral().getExtValue();
  const Expr* Inner = E->IgnoreImplicit();
  if (const auto* Construct = dyn_cast<CXXConstructExpr>(Inner);
      Construct && Construct->getNumArgs() >= 1)
    Inner = Construct->getArg(0)->IgnoreImplicit();
  if (const auto* List = dyn_cast<CXXStdInitializerListExpr>(Inner))
    Inner = List->getSubExpr()->IgnoreImplicit();
  if (const auto* Init = dyn_cast<InitListExpr>(Inner))
    return Init->getNumInits();
  return std::nullopt;
}

/// std::move, std::forward and their kin: casts spelt as calls, which clang
/// knows as builtins. They never call the callable they are given.
bool isCastLikeBuiltin(unsigned BuiltinId) {
  return BuiltinId == Builtin::BImove || BuiltinId == Builtin::BIforward ||
         BuiltinId == Builtin::BImove_if_noexcept || BuiltinId == Builtin::BIas_const;
}

/// Strips what wraps a callable argument: casts, temporaries, copies, `&f`,
/// `std::move(f)`; with ThroughWrappers, also a type-erasing wrapper built from it.
const Expr* peelCallable(const Expr* E, bool ThroughWrappers = false) {
  while (E) {
    E = E->IgnoreParenImpCasts();
    if (const auto* Call = dyn_cast<CallExpr>(E);
        Call && Call->getNumArgs() == 1 && isCastLikeBuiltin(Call->getBuiltinCallee())) {
      E = Call->getArg(0);
      continue;
    }
    if (const auto* M = dyn_cast<MaterializeTemporaryExpr>(E))
      E = M->getSubExpr();
    else if (const auto* B = dyn_cast<CXXBindTemporaryExpr>(E))
      E = B->getSubExpr();
    else if (const auto* F = dyn_cast<CXXFunctionalCastExpr>(E))
      E = F->getSubExpr();
    else if (const auto* Cast = dyn_cast<CXXStaticCastExpr>(E)) // ASIO_MOVE_CAST(F)(f)
      E = Cast->getSubExpr();
    else if (const auto* U = dyn_cast<UnaryOperator>(E); U && U->getOpcode() == UO_AddrOf)
      E = U->getSubExpr();
    // A lambda handed to a `std::function` parameter (as
    // taskfit::EventLoop::call_soon takes it) arrives through the wrapper's
    // converting constructor. Only executors see through it: a wrapper handed
    // to any other function is more often stored (a callback list) than called.
    else if (const auto* C = dyn_cast<CXXConstructExpr>(E);
             C && C->getNumArgs() == 1 &&
             (ThroughWrappers || C->getConstructor()->isCopyOrMoveConstructor()))
      E = C->getArg(0);
    else
      return E;
  }
  return E;
}

/// Whether a callable expression hands on what its function was given: a
/// parameter, or a local made from one, as a library's forwarding layers do
/// (`non_const_lvalue<Handler> handler2(handler); ... handler2.value`).
bool handsOnParameter(const Expr* E, unsigned Depth = 0) {
  E = peelCallable(E);
  if (!E || Depth > 4)
    return false;
  if (const auto* Member = dyn_cast<MemberExpr>(E))
    return handsOnParameter(Member->getBase(), Depth + 1);
  const auto* Ref = dyn_cast<DeclRefExpr>(E);
  if (!Ref)
    return false;
  if (isa<ParmVarDecl>(Ref->getDecl()))
    return true;
  const auto* Var = dyn_cast<VarDecl>(Ref->getDecl());
  if (!Var || !Var->isLocalVarDecl() || !Var->getInit())
    return false;
  const Expr* Init = Var->getInit()->IgnoreImplicit();
  if (const auto* Construct = dyn_cast<CXXConstructExpr>(Init))
    return llvm::any_of(Construct->arguments(),
                        [&](const Expr* Arg) { return handsOnParameter(Arg, Depth + 1); });
  return handsOnParameter(Init, Depth + 1);
}

class Extraction {
public:
  Extraction(ASTContext& Context, const RuleSet& Rules, llvm::StringRef Root,
             const std::vector<std::string>& ThirdParty)
      : Context(Context), SM(Context.getSourceManager()), Rules(Rules),
        Locations(SM, Context.getLangOpts(), Root), Boundary(SM, ThirdParty),
        Payloads(Context, Rules.serialisation()), Locks(Rules), Descriptors(Context, Rules) {}

  std::string describe(const FunctionDecl* F) {
    // Every instantiation of a class template's member is the same source:
    // named after the template (`Pool::run`, as function templates already
    // are), their findings at one location read alike and are reported once.
    if (const FunctionDecl* Pattern = F->getTemplateInstantiationPattern())
      F = Pattern;
    if (const auto* Method = dyn_cast<CXXMethodDecl>(F);
        Method && Method->getParent()->isLambda()) {
      SourceLoc L = Locations.map(Method->getParent()->getLocation());
      return "lambda at " + L.File + ":" + std::to_string(L.Line) + ":" + std::to_string(L.Column);
    }
    return F->getQualifiedNameAsString();
  }

  /// The function a callable argument names: a lambda (directly or through a
  /// local variable), a function or a `std::bind` of one. Handed is set for
  /// a callable given to an executor, which may also arrive in a
  /// `std::function` or be a function object (an Asio handler class).
  const FunctionDecl* resolveCallable(const Expr* E, bool Handed = false) {
    E = peelCallable(E, Handed);
    if (!E)
      return nullptr;
    if (const FunctionDecl* Op = lambdaCallOperator(E))
      return Op;
    if (const auto* Ref = dyn_cast<DeclRefExpr>(E)) {
      if (const auto* Function = dyn_cast<FunctionDecl>(Ref->getDecl()))
        return Function;
      if (const auto* Var = dyn_cast<VarDecl>(Ref->getDecl()); Var && Var->isLocalVarDecl())
        if (const FunctionDecl* Op = lambdaCallOperator(peelCallable(Var->getInit(), Handed)))
          return Op;
    }
    if (const auto* Call = dyn_cast<CallExpr>(E))
      if (const FunctionDecl* Callee = Call->getDirectCallee())
        if (Rules.isBinder(matchName(Callee)) && Call->getNumArgs() > 0)
          return resolveCallable(Call->getArg(0), Handed);
    // A closure's type names its lambda wherever the value travels: a
    // template's parameter `f` passed on to std::for_each or std::invoke.
    if (const CXXRecordDecl* Closure = E->getType()->getAsCXXRecordDecl();
        Closure && Closure->isLambda())
      return Closure->getLambdaCallOperator();
    if (Handed)
      return functionObjectCall(E);
    return nullptr;
  }

  /// The call operator of a user's function object, when it has exactly one:
  /// which overload an executor invokes is otherwise a guess.
  const FunctionDecl* functionObjectCall(const Expr* E) {
    const CXXRecordDecl* Record = E->getType()->getAsCXXRecordDecl();
    if (!Record || !Record->hasDefinition() || Record->isLambda() ||
        Boundary.outside(Record->getLocation()))
      return nullptr;
    const FunctionDecl* Only = nullptr;
    for (const CXXMethodDecl* Method : Record->getDefinition()->methods())
      if (Method->getOverloadedOperator() == OO_Call) {
        if (Only)
          return nullptr;
        Only = Method;
      }
    return Only;
  }

  /// The blocking rule that applies to a call, or null.
  const BlockingRule* blockingRule(const CallView& Call, llvm::StringRef Name) {
    // No standard class opens, locks or connects when default-constructed (an
    // unopened ofstream, an empty unique_lock, the end directory_iterator),
    // though the rules list their constructors for the forms that do.
    if (isa<CXXConstructorDecl>(Call.Callee) && Name.starts_with("std::") &&
        llvm::all_of(Call.Args, [](const Expr* A) { return isa<CXXDefaultArgExpr>(A); }))
      return nullptr;
    return applicableRule(Rules.blockingRulesFor(Name), Call);
  }

  std::optional<BlockingMatch> matchBlocking(const CallView& Call, llvm::StringRef Name,
                                             const BlockingRule* Rule) {
    if (Rule)
      return BlockingMatch{Name.str(), Rule->Category, Rule->Replacement,
                           Rule->Releases.has_value()};
    if (hasEffect(Call.Callee, FunctionEffect::Kind::Blocking))
      return BlockingMatch{Call.Callee->getQualifiedNameAsString(), "annotated",
                           "offload the call with co_await taskfit::to_thread(...)"};
    return std::nullopt;
  }

  /// The wait of a lock no rule names (recognised by shape): a sync-wait with
  /// that category's advice.
  BlockingMatch lockWait(llvm::StringRef Name) {
    const CategoryInfo* SyncWait = Rules.category("sync-wait");
    return BlockingMatch{Name.str(), "sync-wait", SyncWait ? SyncWait->Replacement : ""};
  }

  std::optional<CpuHeavyMatch> matchCpuHeavy(const CallView& Call, llvm::StringRef Name) {
    if (const BlockingRule* Rule = applicableRule(Rules.cpuHeavyRulesFor(Name), Call))
      return CpuHeavyMatch{Name.str(), Rule->Category, Rule->Replacement};
    return std::nullopt;
  }

  /// The first of the rules matching a call's name that applies to it, or
  /// null: when none does, or when its `non-blocking-if` predicate holds.
  const BlockingRule* applicableRule(const std::vector<const BlockingRule*>& Candidates,
                                     const CallView& Call) {
    // A plain name in a rule (`read`, `wait`, `select`) means the C library's
    // function, not a project's own function that happens to share it.
    bool CFunction = Call.Callee->isExternC() || SM.isInSystemHeader(Call.Callee->getLocation());
    auto Holds = [&](const ArgPredicate& P) { return holds(P, Call, Context); };
    for (const BlockingRule* Rule : Candidates) {
      if (!CFunction && !llvm::StringRef(Rule->Name).contains("::"))
        continue;
      if (!Rule->BlockingOnlyIf.empty() && llvm::none_of(Rule->BlockingOnlyIf, Holds))
        continue;
      return llvm::any_of(Rule->NonBlockingIf, Holds) ? nullptr : Rule;
    }
    return nullptr;
  }

  static bool hasEffect(const FunctionDecl* F, FunctionEffect::Kind Kind) {
    for (const FunctionEffectWithCondition& E : F->getFunctionEffects())
      if (E.Effect.kind() == Kind)
        return true;
    return false;
  }

  /// The role of the executor a call hands work to: the rule's, unless the
  /// executor's type or the call that made it says otherwise. Guessed is set
  /// when the rule tells roles by type and the type is none of them.
  ExecutorRole roleOf(const ExecutorRule& Rule, const CallView& Call, bool& Guessed) {
    ExecutorRole Role = Rule.Role;
    Guessed = false;
    if (Rule.ExecutorArg)
      if (const Expr* Executor = Call.argument(*Rule.ExecutorArg)) {
        QualType Type = Executor->IgnoreParenImpCasts()->getType();
        if (Type->isPointerType())
          Type = Type->getPointeeType();
        std::string TypeName = typeMatchName(Type);
        auto ByType = llvm::find_if(Rule.RoleByExecutor,
                                    [&](const auto& R) { return globMatch(R.first, TypeName); });
        if (ByType != Rule.RoleByExecutor.end())
          Role = ByType->second;
        else
          Guessed = !Rule.RoleByExecutor.empty() && Type->isRecordType();
      }
    // A pool's type may not tell its purpose (ThreadPool::for_cpu() and the
    // default constructor make the same type): the call that made it does.
    if (!Rule.RoleByOrigin.empty())
      if (const Expr* Executor = Rule.ExecutorArg ? Call.argument(*Rule.ExecutorArg) : Call.Object)
        if (const auto* Var = dyn_cast_or_null<VarDecl>(namedObject(Executor)))
          if (const FunctionDecl* Maker = makerOf(Var->getInit()))
            for (const auto& [Origin, ByRole] : Rule.RoleByOrigin)
              if (globMatch(Origin, matchName(Maker))) {
                Guessed = false;
                return ByRole;
              }
    return Role;
  }

  /// A boundary that carries only data (`write(fd, &record, sizeof record)`):
  /// it hands over no callable, and the call stays an ordinary call.
  std::optional<Submission> dataBoundary(const ExecutorRule& Rule, const CallView& Call,
                                         llvm::StringRef Name, SourceLocation Loc) {
    bool CFunction = Call.Callee->isExternC() || SM.isInSystemHeader(Call.Callee->getLocation());
    if (!(CFunction || llvm::StringRef(Rule.Name).contains("::")) || !Payloads.applies(Rule, Call))
      return std::nullopt;
    Submission S{Locations.map(Loc), Name.str(), Rule.Role, "", ""};
    Payloads.assess(S, Rule, Call, nullptr, nullptr);
    return S;
  }

  /// The submission of the callable Ref names, if the call hands one over.
  std::optional<Submission> submission(const ExecutorRule& Rule, ExecutorRole Role,
                                       const ArgRef& Ref, const CallView& Call,
                                       llvm::StringRef Name, SourceLocation Loc,
                                       const FunctionDecl* Scope) {
    const FunctionDecl* Target = nullptr;
    const Expr* Passed = nullptr; // The callable as an expression, given at run time.
    bool Named = Ref.K == ArgRef::Kind::TemplateIndex;
    if (Named) {
      if (const TemplateArgumentList* Args = Call.Callee->getTemplateSpecializationArgs();
          Args && Ref.Index < Args->size() &&
          (*Args)[Ref.Index].getKind() == TemplateArgument::Declaration)
        Target = dyn_cast<FunctionDecl>((*Args)[Ref.Index].getAsDecl());
      // `pool.submit(lambda, args...)`: the overload a process pool refuses.
      if (!Target && Role == ExecutorRole::Process && !Call.Args.empty()) {
        Passed = Call.Args.front();
        Target = resolveCallable(Passed, /*Handed=*/true);
      }
    } else {
      Passed = Call.argument(Ref);
      Target = resolveCallable(Passed, /*Handed=*/true);
    }
    if (!Target && !(Passed && Role == ExecutorRole::Process && Named))
      return std::nullopt;
    discover(Target);
    // A glob rule (`asio::*::async_*`) names a family: messages name the
    // function actually called.
    std::string Api = llvm::StringRef(Rule.Name).contains('*') ? Name.str() : Rule.Name;
    Submission S{Locations.map(Loc), std::move(Api), Role,
                 Target ? usrOf(Target->getCanonicalDecl()) : "", Target ? describe(Target) : ""};
    S.Forwarded = handsOnParameter(Passed);
    if (Target && (isa_and_nonnull<CoroutineBodyStmt>(Target->getBody()) ||
                   Rules.taskType(typeMatchName(Target->getReturnType()))))
      CoroutineCallables.insert(S.CallableUsr);
    Payloads.assess(S, Rule, Call, Named && !Passed ? Target : nullptr, Passed);
    // `map` creates one task per element of its range.
    if (llvm::StringRef(S.Api).ends_with("::map") && !Rule.Payload.empty())
      S.TasksPerCall =
          constantRangeSize(Call.argument({ArgRef::Kind::Index, Rule.Payload[0]}), Context)
              .value_or(0);
    // Which executor object: tasks sent to the same pool share its threads.
    if (const Expr* Executor = Rule.ExecutorArg ? Call.argument(*Rule.ExecutorArg) : Call.Object) {
      if (const ValueDecl* D = namedObject(Executor)) {
        S.Executor = usrOf(D);
        S.ExecutorName = D->getNameAsString();
      }
      const Expr* Loop = loopObjectOf(Executor);
      S.ExecutorObject = objectIdentity(Loop, Scope);
      // Only a loop object can serve no I/O; an I/O object's handlers run
      // on the loop that object serves.
      QualType LoopType = Loop->getType().getNonReferenceType();
      if (LoopType->isPointerType())
        LoopType = LoopType->getPointeeType();
      S.ExecutorOwned = isOwnedObject(Loop) && Rules.isEventLoopType(typeMatchName(LoopType));
      S.AfterReadiness = Rules.isReadinessWait(Name) && !S.ExecutorObject.empty();
    }
    if (Role == ExecutorRole::EventLoop || Role == ExecutorRole::Strand)
      S.Offload = Rule.Offload;
    return S;
  }

  /// Submissions for an executor call; empty when the callee is no executor.
  /// Sets Handled when the callee is an executor, whatever its arguments.
  std::vector<Submission> matchExecutor(const CallView& Call, llvm::StringRef Name,
                                        SourceLocation Loc, const FunctionDecl* Scope,
                                        bool& Handled) {
    std::vector<Submission> Out;
    for (const ExecutorRule* Rule : Rules.executorRulesFor(Name)) {
      if (Rule->Callables.empty()) {
        if (std::optional<Submission> S = dataBoundary(*Rule, Call, Name, Loc))
          Out.push_back(std::move(*S));
        continue;
      }
      Handled = true;
      bool Guessed = false;
      ExecutorRole Role = roleOf(*Rule, Call, Guessed);
      for (const ArgRef& Ref : Rule->Callables)
        if (std::optional<Submission> S = submission(*Rule, Role, Ref, Call, Name, Loc, Scope)) {
          S->RoleGuessed = Guessed;
          Out.push_back(std::move(*S));
        }
    }
    return Out;
  }

  /// Queues a function for extraction, once, if it has a body in user code.
  void discover(const FunctionDecl* F) {
    if (!F)
      return;
    if (!F->doesThisDeclarationHaveABody())
      F = F->getDefinition();
    if (!F || !F->doesThisDeclarationHaveABody())
      return;
    const auto* Method = dyn_cast<CXXMethodDecl>(F);
    bool LambdaOperator = Method && Method->getParent()->isLambda();
    if ((F->isImplicit() && !LambdaOperator) || Boundary.outside(F->getLocation()))
      return;
    if (Seen.insert(F).second)
      Worklist.push_back(F);
  }

  ASTContext& Context;
  const SourceManager& SM;
  const RuleSet& Rules;
  LocationMapper Locations;
  ProjectBoundary Boundary;
  PayloadAssessor Payloads;
  LockRecognizer Locks;
  DescriptorRecognizer Descriptors;
  std::vector<const FunctionDecl*> Worklist;
  llvm::SmallPtrSet<const FunctionDecl*, 32> Seen;

  /// Whether a submitted callable is a coroutine (it may do I/O on the loop
  /// it is spawned on, through `this_coro::executor`).
  bool isCoroutineUsr(llvm::StringRef Usr) const { return CoroutineCallables.contains(Usr); }

private:
  llvm::StringSet<> CoroutineCallables;
};

/// Reads one function body. Nested lambdas are not entered: their bodies are
/// functions of their own, reached through call edges or submissions.
class BodyScanner : public RecursiveASTVisitor<BodyScanner> {
public:
  BodyScanner(Extraction& X, FunctionFacts& Out, const FunctionDecl* Scope)
      : X(X), Out(Out), Scope(Scope) {}

  bool TraverseLambdaExpr(LambdaExpr* Lambda) {
    X.discover(Lambda->getCallOperator());
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
    markLoopsSuspended();
    return true;
  }
  bool VisitDependentCoawaitExpr(DependentCoawaitExpr*) {
    Suspends = true;
    markLoopsSuspended();
    return true;
  }
  bool VisitCoyieldExpr(CoyieldExpr*) {
    Yields = true;
    markLoopsSuspended();
    return true;
  }

  bool TraverseCompoundStmt(CompoundStmt* S) {
    LockScopes.emplace_back(); // A lock_guard's lock ends with its block.
    bool Result = RecursiveASTVisitor::TraverseCompoundStmt(S);
    LockScopes.pop_back();
    return Result;
  }

  bool TraverseForStmt(ForStmt* S) {
    return inLoop(S, [&] { return RecursiveASTVisitor::TraverseForStmt(S); });
  }
  bool TraverseCXXForRangeStmt(CXXForRangeStmt* S) {
    return inLoop(S, [&] { return RecursiveASTVisitor::TraverseCXXForRangeStmt(S); });
  }
  bool TraverseWhileStmt(WhileStmt* S) {
    return inLoop(S, [&] { return RecursiveASTVisitor::TraverseWhileStmt(S); });
  }
  bool TraverseDoStmt(DoStmt* S) {
    return inLoop(S, [&] { return RecursiveASTVisitor::TraverseDoStmt(S); });
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
      // The operator for `a >> b`, but the callee for `f()` and `m[k]`, where
      // the operator location is the closing bracket (as clang reports them).
      Loc = Op->getExprLoc();
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
    record(View, Call, Loc, Followable);
    return true;
  }

  bool VisitCXXConstructExpr(CXXConstructExpr* Construct) {
    const CXXConstructorDecl* Ctor = Construct->getConstructor();
    if (!Ctor || Ctor->isImplicit() || Ctor->getParent()->isLambda())
      return true;
    std::vector<const Expr*> Args(Construct->arg_begin(), Construct->arg_end());
    CallView View{Ctor, nullptr, Args};
    record(View, Construct, Construct->getLocation(), /*Followable=*/true);
    return true;
  }

  bool VisitDeclRefExpr(DeclRefExpr* Ref) {
    ExpectsWouldBlock = ExpectsWouldBlock || X.Descriptors.spellsWouldBlock(Ref);
    return true;
  }
  bool VisitIntegerLiteral(IntegerLiteral* Literal) {
    ExpectsWouldBlock = ExpectsWouldBlock || X.Descriptors.spellsWouldBlock(Literal);
    return true;
  }

  /// A body that checks for EAGAIN treats its descriptors as non-blocking:
  /// its reads and writes do not block, and neither do others on the same
  /// descriptors.
  void finish() {
    if (ExpectsWouldBlock) {
      for (size_t I : DescriptorCalls) {
        CallSite& Site = Out.Calls[I];
        if (Site.Descriptor != "?")
          Out.NonBlockingDescriptors.push_back(Site.Descriptor);
        Site.Blocking.reset();
      }
      // Also what its helpers read and write: the caller sees their EAGAIN.
      for (CallSite& Site : Out.Calls)
        Site.HandlesWouldBlock = true;
    }
    llvm::sort(Out.NonBlockingDescriptors);
    Out.NonBlockingDescriptors.erase(
        std::unique(Out.NonBlockingDescriptors.begin(), Out.NonBlockingDescriptors.end()),
        Out.NonBlockingDescriptors.end());
  }

  bool Suspends = false;
  bool Yields = false;

private:
  template <typename Body>
  bool inLoop(Stmt* Loop, Body&& Traverse) {
    LoopFact Fact = describeLoop(Loop, X.Context);
    Fact.Loc = X.Locations.map(Loop->getBeginLoc());
    Fact.Parent = LoopStack.empty() ? -1 : LoopStack.back();
    Fact.HeldLock = heldLock();
    if (Fact.Parent >= 0)
      Out.Loops[Fact.Parent].HasNestedLoop = true;
    LoopStack.push_back(static_cast<int>(Out.Loops.size()));
    Out.Loops.push_back(std::move(Fact));
    bool Result = Traverse();
    LoopStack.pop_back();
    return Result;
  }

  /// A suspension point lets the loop give the thread back to the event loop.
  void markLoopsSuspended() {
    for (int Loop : LoopStack)
      Out.Loops[Loop].Suspends = true;
  }

  std::vector<int> LoopStack;                       ///< Indices into Out.Loops, innermost last.
  std::vector<std::vector<std::string>> LockScopes; ///< Shared locks held, per block.

  std::string heldLock() const {
    for (auto Scope = LockScopes.rbegin(); Scope != LockScopes.rend(); ++Scope)
      if (!Scope->empty())
        return Scope->back();
    return {};
  }

  /// Locks held from here to the end of the block (guards) or to their
  /// unlock; only shared ones (globals, members) have an identity.
  void trackLocks(const LockEffect& Effect) {
    for (const std::string& Lock : Effect.Acquires) {
      if (Lock.empty() || LockScopes.empty())
        continue;
      LockScopes.back().push_back(Lock);
      if (!llvm::is_contained(Out.Locks, Lock))
        Out.Locks.push_back(Lock);
    }
    for (const std::string& Lock : Effect.Releases)
      for (auto& Scope : LockScopes)
        llvm::erase(Scope, Lock);
  }

private:
  void record(const CallView& Call, const Expr* E, SourceLocation Loc, bool Followable) {
    const FunctionDecl* Callee = Call.Callee;
    X.discover(Callee); // Instantiations of user templates are found here.
    std::string Name = matchName(Callee);
    bool IsExecutor = false;
    std::vector<Submission> Submissions = X.matchExecutor(Call, Name, Loc, Scope, IsExecutor);
    recordLoopUses(Call, Name, IsExecutor, Submissions);
    for (Submission& S : Submissions) {
      // Several rules may name the same handler (a glob and an exact entry).
      if (llvm::any_of(Out.Submissions, [&](const Submission& Seen) {
            return Seen.Loc == S.Loc && Seen.CallableUsr == S.CallableUsr;
          }))
        continue;
      S.Loop = LoopStack.empty() ? -1 : LoopStack.back(); // How many tasks: see Workload.
      Out.Submissions.push_back(std::move(S));
    }
    if (IsExecutor || !Submissions.empty())
      for (int Loop : LoopStack) // The loop starts operations; it does not run them.
        Out.Loops[Loop].HandsOff = true;
    CallSite Site;
    Site.Loc = X.Locations.map(Loc);
    Site.CalleeName = X.describe(Callee);
    // Some executors also wait for the work they hand over
    // (`runInEventBaseThreadAndWait`, `task_group::run_and_wait`).
    const BlockingRule* Rule = X.blockingRule(Call, Name);
    Site.Blocking = X.matchBlocking(Call, Name, Rule);
    Site.CpuHeavy = X.matchCpuHeavy(Call, Name);
    Site.Loop = LoopStack.empty() ? -1 : LoopStack.back();
    Site.HeldLock = heldLock();
    Site.HandsOverLock = !Site.HeldLock.empty() && llvm::any_of(Call.Args, [&](const Expr* Arg) {
      return objectIdentity(Arg) == Site.HeldLock;
    });
    LockEffect Locks = X.Locks.effect(Call, Name, Rule, /*Scope=*/nullptr);
    if (Locks.LocksNothing)
      Site.Blocking.reset();
    if (!Locks.Acquires.empty()) {
      Site.Acquires = Locks.Acquires;
      if (!Site.Blocking)
        Site.Blocking = X.lockWait(Name);
    }
    trackLocks(Locks);
    recordDescriptors(Call, Name, E, Rule, Site);
    if (X.Rules.isYieldPoint(Name))
      markLoopsSuspended();
    if (IsExecutor) {
      if (Site.Blocking)
        Out.Calls.push_back(std::move(Site));
      return;
    }
    bool Outside = X.Boundary.outside(Callee->getCanonicalDecl()->getLocation());
    if (!Site.Blocking && !Site.CpuHeavy && (Outside || Callee->isImplicit() || !Followable)) {
      recordInlineCallables(Call);
      return;
    }
    // A lock recognised by its shape is not entered: its body is the lock.
    if (!Outside && Followable && !Locks.ByShape) {
      Site.CalleeUsr = usrOf(Callee->getCanonicalDecl());
      for (unsigned I = 0; I < Call.Args.size(); ++I)
        if (isFixedSizeBuffer(Call.Args[I], X.Context))
          Site.FixedSizeArgs.push_back(static_cast<int>(I));
    }
    Site.CalleeTrustedNonBlocking =
        Extraction::hasEffect(Callee, FunctionEffect::Kind::NonBlocking);
    // A user's function that takes a lambda is a template we read: its body
    // says whether it calls the lambda (then the call is followed) or hands
    // it to an executor. Guessing "inline" here would report it twice, or
    // report work the function offloads.
    bool BodyIsRead = !Site.CalleeUsr.empty();
    Out.Calls.push_back(std::move(Site));
    if (!BodyIsRead)
      recordInlineCallables(Call);
  }

  /// The descriptor a call reads or writes, and those it makes non-blocking.
  /// The event loops this call gives to something that may serve I/O on
  /// them (FunctionFacts::IoLoops). Not: a call on the loop itself (run,
  /// stop), a work guard, a binder (`bind(&io_context::run, &io)`), or a
  /// post of plain callables (a coroutine spawned on it may do I/O there).
  /// A work guard's loop goes to FunctionFacts::GuardedLoops instead.
  void recordLoopUses(const CallView& Call, llvm::StringRef Name, bool IsExecutor,
                      const std::vector<Submission>& Submissions) {
    if (X.Rules.isBinder(Name))
      return;
    if (IsExecutor && !Submissions.empty() && llvm::all_of(Submissions, [&](const Submission& S) {
          return !S.CallableUsr.empty() && !X.isCoroutineUsr(S.CallableUsr);
        }))
      return;
    std::vector<std::string>& Into = X.Rules.isWorkGuard(Name) ? Out.GuardedLoops : Out.IoLoops;
    for (const Expr* Arg : Call.Args) {
      const Expr* Loop = loopObjectOf(Arg);
      QualType Type = Loop->getType().getNonReferenceType();
      if (Type->isPointerType())
        Type = Type->getPointeeType();
      if (!Type->isRecordType() || !X.Rules.isEventLoopType(typeMatchName(Type)))
        continue;
      if (std::string Identity = objectIdentity(Loop, Scope);
          !Identity.empty() && !llvm::is_contained(Into, Identity))
        Into.push_back(Identity);
    }
  }

  void recordDescriptors(const CallView& Call, llvm::StringRef Name, const Expr* E,
                         const BlockingRule* Rule, CallSite& Site) {
    if (Rule && Rule->Loop)
      Site.RunsLoop = objectIdentity(loopObjectOf(Call.argument(*Rule->Loop)), Scope);
    if (Rule && Rule->Descriptor) {
      Site.Descriptor = objectIdentity(Call.argument(*Rule->Descriptor), Scope);
      if (Site.Descriptor.empty())
        Site.Descriptor = "?"; // A descriptor, of unknown identity (a parameter).
      DescriptorCalls.push_back(Out.Calls.size());
    }
    llvm::append_range(Out.NonBlockingDescriptors,
                       X.Descriptors.madeNonBlocking(Call, Name, E, Scope));
  }

  /// The members of standard containers and wrappers that keep what they are
  /// given as an element or a value (a callback list, a handler map, a
  /// std::function member being assigned): they never call it.
  bool storesElement(const FunctionDecl* Callee) const {
    const auto* Method = dyn_cast<CXXMethodDecl>(Callee);
    if (!Method || !X.SM.isInSystemHeader(Method->getLocation()))
      return false;
    if (Method->getOverloadedOperator() == OO_Equal)
      return true;
    if (!Method->getIdentifier())
      return false;
    llvm::StringRef Name = Method->getName();
    return Name.starts_with("push_") || Name.starts_with("emplace") || Name.starts_with("insert") ||
           Name == "try_emplace" || Name == "assign";
  }

  /// A lambda handed to a function that is no executor (std::for_each,
  /// std::sort, a user's helper) is assumed to run inline, in this context.
  void recordInlineCallables(const CallView& Call) {
    if (isCastLikeBuiltin(Call.Callee->getBuiltinID()))
      return; // `std::move(task)` moves it, for whatever the result is given to.
    if (storesElement(Call.Callee))
      return;
    // Constructors store callables (std::function, a callback holder); they
    // do not run them.
    if (isa<CXXConstructorDecl>(Call.Callee))
      return;
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
  const FunctionDecl* Scope;           ///< The function whose body this is.
  std::vector<size_t> DescriptorCalls; ///< Calls (indices) on a descriptor.
  bool ExpectsWouldBlock = false;
};

class FunctionCollector : public RecursiveASTVisitor<FunctionCollector> {
public:
  explicit FunctionCollector(Extraction& X) : X(X) {}

  bool TraverseDecl(Decl* D) {
    // Nothing outside the project is ours to check.
    if (D && !isa<TranslationUnitDecl>(D) && X.Boundary.outside(D->getLocation()))
      return true;
    return RecursiveASTVisitor::TraverseDecl(D);
  }
  bool VisitFunctionDecl(FunctionDecl* F) {
    X.discover(F);
    return true;
  }
  bool VisitLambdaExpr(LambdaExpr* Lambda) {
    X.discover(Lambda->getCallOperator());
    return true;
  }

private:
  Extraction& X;
};

} // namespace

std::vector<FunctionFacts> extractFunctionFacts(ASTContext& Context, const RuleSet& Rules,
                                                llvm::StringRef SourceRoot,
                                                const std::vector<std::string>& ThirdParty) {
  Extraction X(Context, Rules, SourceRoot, ThirdParty);
  FunctionCollector(X).TraverseAST(Context);

  std::vector<FunctionFacts> Out;
  // Scanning a body may discover more functions; the worklist grows meanwhile.
  for (size_t Next = 0; Next < X.Worklist.size(); ++Next) {
    const FunctionDecl* F = X.Worklist[Next];
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

    BodyScanner Scanner(X, Facts, F);
    Stmt* Body = F->getBody();
    if (!Body)
      continue; // A template clang parses late (-fdelayed-template-parsing) has none yet.
    const auto* Coroutine = dyn_cast<CoroutineBodyStmt>(Body);
    Scanner.TraverseStmt(Coroutine ? Coroutine->getBody() : Body);
    // A constructor runs its base and member initialisers before its body.
    if (const auto* Ctor = dyn_cast<CXXConstructorDecl>(F))
      for (const CXXCtorInitializer* Init : Ctor->inits())
        Scanner.TraverseStmt(Init->getInit());
    Scanner.finish();
    Facts.Operations = countOperations(Coroutine ? Coroutine->getBody() : Body);

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
      if (const TypeRule* Task = Rules.taskType(ReturnType))
        Facts.Offload = Task->Offload;
    } else if (const TypeRule* Future = Rules.reactorFutureType(ReturnType)) {
      Facts.ReturnsReactorFuture = true;
      Facts.ReturnType = ReturnType;
      Facts.Offload = Future->Offload;
    }
    Out.push_back(std::move(Facts));
  }
  return Out;
}

} // namespace taskfit
