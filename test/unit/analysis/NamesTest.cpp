#include "knowledge/Names.h"

#include "extract/MatchNames.h"

#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Tooling/Tooling.h"

#include <gtest/gtest.h>

using namespace clang;
using namespace clang::ast_matchers;

namespace taskfit {
namespace {

template <typename Matcher>
const NamedDecl* findDecl(ASTContext& Context, Matcher M) {
  auto Matches = match(M.bind("d"), Context);
  return Matches.empty() ? nullptr : Matches.front().template getNodeAs<NamedDecl>("d");
}

TEST(GlobMatch, StarsMatchAnyRun) {
  EXPECT_TRUE(globMatch("asio::*::async_*", "asio::basic_stream_socket::async_read_some"));
  EXPECT_TRUE(globMatch("*", ""));
  EXPECT_TRUE(globMatch("std::mutex::lock", "std::mutex::lock"));
  EXPECT_FALSE(globMatch("std::mutex::lock", "std::mutex::lock_shared"));
  EXPECT_FALSE(globMatch("asio::async_*", "boost::asio::async_read"));
  EXPECT_TRUE(globMatch("blocking-*", "blocking-call-in-coroutine"));
  EXPECT_FALSE(globMatch("a*b*c", "abca-b"));
}

TEST(MatchName, DropsInlineNamespacesAndTemplateArguments) {
  auto AST = tooling::buildASTFromCodeWithArgs(R"cpp(
    namespace std { inline namespace __cxx11 {
      template <class C> struct basic_string { const C* c_str() const; basic_string(); };
    } }
    namespace outer { namespace { void hidden(); } }
    void use() { std::basic_string<char> s; s.c_str(); }
  )cpp",
                                               {"-std=c++20"});
  ASTContext& Context = AST->getASTContext();
  const NamedDecl* CStr =
      findDecl(Context, cxxMethodDecl(hasName("c_str"), ofClass(isTemplateInstantiation())));
  ASSERT_NE(CStr, nullptr);
  EXPECT_EQ(matchName(CStr), "std::basic_string::c_str");
  const NamedDecl* Ctor = findDecl(Context, cxxConstructorDecl(ofClass(hasName("basic_string"))));
  ASSERT_NE(Ctor, nullptr);
  EXPECT_EQ(matchName(Ctor), "std::basic_string::basic_string");
  const NamedDecl* Hidden = findDecl(Context, functionDecl(hasName("hidden")));
  ASSERT_NE(Hidden, nullptr);
  EXPECT_EQ(matchName(Hidden), "outer::hidden");
}

TEST(TypeMatchName, SeesThroughAliasesReferencesAndQualifiers) {
  auto AST = tooling::buildASTFromCodeWithArgs(R"cpp(
    namespace net { template <class P> struct basic_socket {}; struct tcp {};
                    using socket = basic_socket<tcp>; }
    void f(const net::socket& s);
  )cpp",
                                               {"-std=c++20"});
  const auto* F = cast<FunctionDecl>(findDecl(AST->getASTContext(), functionDecl(hasName("f"))));
  EXPECT_EQ(typeMatchName(F->getParamDecl(0)->getType()), "net::basic_socket");
  EXPECT_EQ(typeMatchName(F->getReturnType()), "");
}

} // namespace
} // namespace taskfit
