//===- IsolatedExtraction.cpp ---------------------------------------------===//

#include "taskfit/analysis/IsolatedExtraction.h"

#include "llvm/Support/raw_ostream.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <sys/wait.h>
#include <unistd.h>

namespace taskfit {

static TUFacts failed(const CompileJob& Job, const ExtractSettings& Settings, std::string Message) {
  TUFacts Facts;
  Facts.MainFile = relativeToRoot(Job.File, Settings.SourceRoot);
  Facts.Complete = false;
  Facts.Errors.push_back({{Facts.MainFile, 0, 0}, std::move(Message)});
  return Facts;
}

static bool writeAll(int Fd, llvm::StringRef Data) {
  while (!Data.empty()) {
    ssize_t N = ::write(Fd, Data.data(), Data.size());
    if (N < 0 && errno == EINTR)
      continue;
    if (N <= 0)
      return false;
    Data = Data.drop_front(N);
  }
  return true;
}

TUFacts extractInChildProcess(const CompileJob& Job, const RuleSet& Rules,
                              const ExtractSettings& Settings) {
  int Pipe[2];
  if (::pipe(Pipe) != 0)
    return extractTranslationUnit(Job, Rules, Settings); // No isolation, but no loss.
  llvm::outs().flush();
  llvm::errs().flush();
  pid_t Child = ::fork();
  if (Child < 0) {
    ::close(Pipe[0]);
    ::close(Pipe[1]);
    return extractTranslationUnit(Job, Rules, Settings);
  }
  if (Child == 0) {
    ::close(Pipe[0]);
    std::string Json;
    llvm::raw_string_ostream(Json) << toJSON(extractTranslationUnit(Job, Rules, Settings));
    ::_exit(writeAll(Pipe[1], Json) ? 0 : 1);
  }

  ::close(Pipe[1]);
  std::string Json;
  char Buffer[65536];
  for (;;) {
    ssize_t N = ::read(Pipe[0], Buffer, sizeof Buffer);
    if (N < 0 && errno == EINTR)
      continue;
    if (N <= 0)
      break;
    Json.append(Buffer, static_cast<size_t>(N));
  }
  ::close(Pipe[0]);
  int Status = 0;
  while (::waitpid(Child, &Status, 0) < 0 && errno == EINTR) {
  }

  if (WIFSIGNALED(Status))
    return failed(Job, Settings,
                  "clang crashed while parsing this file (signal " +
                      std::to_string(WTERMSIG(Status)) + ": " + ::strsignal(WTERMSIG(Status)) +
                      ")");
  if (!WIFEXITED(Status) || WEXITSTATUS(Status) != 0)
    return failed(Job, Settings, "the analysis of this file stopped unexpectedly");
  auto Parsed = llvm::json::parse(Json);
  if (!Parsed) {
    llvm::consumeError(Parsed.takeError());
    return failed(Job, Settings, "the analysis of this file returned unreadable facts");
  }
  auto Facts = factsFromJSON(*Parsed);
  if (!Facts) {
    std::string Why = llvm::toString(Facts.takeError());
    return failed(Job, Settings, "the analysis of this file returned unreadable facts: " + Why);
  }
  return std::move(*Facts);
}

} // namespace taskfit
