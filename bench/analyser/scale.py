#!/usr/bin/env python3
"""taskfit at scale, side by side in one run, over one corpus of real TUs.

The corpus: every TU of taskfit's own build (analyser, runtime, tests,
examples), the demo service, and generated TUs that include heavy standard
headers (some with coroutines that block, so the checks have work), at
least 200 in all. Measured, one after the other on the same machine:

  - taskfit -j1 and -j2, cold (target: -j2 at least 1.8x faster);
  - clang++-19 -fsyntax-only over the same TUs, one at a time, against
    taskfit -j1 (target: taskfit at most 1.15x);
  - clang-tidy-19 running one matcher-based check over the same TUs, one
    process, against taskfit -j1 (target: taskfit faster);
  - taskfit -j2 with --cache-dir: cold, then fully cached (target: 10x);
  - the share of link + propagate + check in the -j1 run (target: < 5%)
    and the parent process's peak memory (from --verbose).

usage: scale.py [--taskfit PATH] [--build DIR] [--generated N] [--work DIR]
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import parse_ratio  # noqa: E402  (its clang++ -fsyntax-only commands)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

HEADER_SETS = [
    ["vector", "map", "string", "algorithm", "iostream"],
    ["regex", "string", "vector", "sstream"],
    ["thread", "future", "mutex", "condition_variable", "chrono"],
    ["filesystem", "fstream", "string", "vector"],
    ["unordered_map", "set", "memory", "functional", "optional", "variant"],
    ["ranges", "numeric", "random", "array", "span"],
    ["coroutine", "deque", "list", "tuple", "iomanip"],
]

BODY = """
namespace gen{n} {{
struct Task {{
  struct promise_type {{
    Task get_return_object() {{ return {{}}; }}
    std::suspend_never initial_suspend() {{ return {{}}; }}
    std::suspend_never final_suspend() noexcept {{ return {{}}; }}
    void return_void() {{}}
    void unhandled_exception() {{}}
  }};
}};
struct Ready {{
  bool await_ready() {{ return true; }}
  void await_suspend(std::coroutine_handle<>) {{}}
  void await_resume() {{}}
}};
long work(long x) {{
  long sum = 0;
  for (long i = 0; i < x; ++i)
    sum += i * {n};
  return sum;
}}
Task handle(int id) {{
  co_await Ready{{}};
  {blocking}
  work(id);
}}
}} // namespace gen{n}
"""


def generate(directory, count):
    os.makedirs(directory, exist_ok=True)
    entries = []
    for n in range(count):
        headers = HEADER_SETS[n % len(HEADER_SETS)] + ["coroutine", "unistd.h"]
        blocking = "::usleep(10);" if n % 3 == 0 else ""
        path = os.path.join(directory, f"gen{n:03}.cpp")
        with open(path, "w") as f:
            f.writelines(f"#include <{h}>\n" for h in dict.fromkeys(headers))
            f.write(BODY.format(n=n, blocking=blocking))
        entries.append({"directory": directory, "file": path,
                        "arguments": ["g++-12", "-std=c++20", "-O2", "-c", path, "-o", path + ".o"]})
    return entries


def load(db_dir):
    with open(os.path.join(db_dir, "compile_commands.json")) as f:
        return json.load(f)


def timed(command, **kwargs):
    start = time.monotonic()
    result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, **kwargs)
    return time.monotonic() - start, result


STATS = re.compile(r"taskfit: (\d+) translation units \((\d+) from the cache\) in ([\d.]+) s: "
                   r"extract ([\d.]+) s, link ([\d.]+) s, propagate ([\d.]+) s, check ([\d.]+) s; "
                   r"peak memory (\d+) MiB")


def taskfit_run(taskfit, db_dir, *extra):
    seconds, result = timed([taskfit, "-p", db_dir, "--verbose", "--exit-zero", "-o", os.devnull,
                             *extra])
    match = STATS.search(result.stderr)
    if result.returncode not in (0, 2) or not match:
        sys.exit(f"taskfit failed ({result.returncode}):\n{result.stderr[-2000:]}")
    tus, cached, _, extract, link, propagate, check, memory = match.groups()
    return {"seconds": seconds, "tus": int(tus), "cached": int(cached),
            "analysis": float(link) + float(propagate) + float(check), "memory": int(memory)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--taskfit", default=os.path.join(ROOT, "build", "tool", "taskfit"))
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--demo", help="build folder of examples/demo-service "
                        "(default: <build>/demo-service, as scripts/demo makes it)")
    parser.add_argument("--generated", type=int, default=130)
    parser.add_argument("--work", default="/tmp/taskfit-scale-bench")
    args = parser.parse_args()

    shutil.rmtree(args.work, ignore_errors=True)
    corpus = load(args.build)
    demo = args.demo or os.path.join(args.build, "demo-service")
    if os.path.exists(os.path.join(demo, "compile_commands.json")):
        corpus += load(demo)
    corpus += generate(os.path.join(args.work, "generated"), args.generated)
    db_dir = os.path.join(args.work, "db")
    os.makedirs(db_dir)
    with open(os.path.join(db_dir, "compile_commands.json"), "w") as f:
        json.dump(corpus, f)
    print(f"corpus: {len(corpus)} TUs ({len(corpus) - args.generated} of taskfit and the demo, "
          f"{args.generated} generated); machine: {os.cpu_count()} cores")

    j1 = taskfit_run(args.taskfit, db_dir, "-j1")
    j2 = taskfit_run(args.taskfit, db_dir, "-j2")
    clang_seconds = 0.0
    for directory, command in parse_ratio.clang_commands(db_dir):
        seconds, _ = timed(command, cwd=directory)
        clang_seconds += seconds
    tidy_seconds, tidy = timed(["clang-tidy-19", "-p", db_dir, "--quiet",
                                "--checks=-*,modernize-use-nullptr"] + [e["file"] for e in corpus])
    cache = os.path.join(args.work, "cache")
    cold = taskfit_run(args.taskfit, db_dir, "-j2", "--cache-dir", cache)
    warm = taskfit_run(args.taskfit, db_dir, "-j2", "--cache-dir", cache)
    if warm["cached"] != warm["tus"]:
        sys.exit(f"the cached run re-extracted {warm['tus'] - warm['cached']} TUs")

    rows = [
        ("taskfit -j2 vs -j1", f"{j1['seconds']:.1f} s / {j2['seconds']:.1f} s",
         j1["seconds"] / j2["seconds"], ">= 1.8x", j1["seconds"] / j2["seconds"] >= 1.8),
        ("taskfit -j1 vs clang++-19 -fsyntax-only", f"{j1['seconds']:.1f} s / {clang_seconds:.1f} s",
         j1["seconds"] / clang_seconds, "<= 1.15x", j1["seconds"] / clang_seconds <= 1.15),
        ("taskfit -j1 vs clang-tidy-19 (modernize-use-nullptr)",
         f"{j1['seconds']:.1f} s / {tidy_seconds:.1f} s", j1["seconds"] / tidy_seconds, "< 1x",
         j1["seconds"] < tidy_seconds),
        ("cached re-run vs cold (-j2, --cache-dir)", f"{warm['seconds']:.2f} s / {cold['seconds']:.1f} s",
         cold["seconds"] / warm["seconds"], ">= 10x faster", cold["seconds"] / warm["seconds"] >= 10),
        ("link + propagate + check share of the -j1 run", f"{j1['analysis']:.2f} s of {j1['seconds']:.1f} s",
         j1["analysis"] / j1["seconds"], "< 5%", j1["analysis"] / j1["seconds"] < 0.05),
    ]
    print("\n| measure | times | ratio | target | met |\n|---|---|---|---|---|")
    for name, times, ratio, target, met in rows:
        shown = f"{ratio * 100:.2f}%" if target.endswith("%") else f"{ratio:.2f}x"
        print(f"| {name} | {times} | {shown} | {target} | {'yes' if met else 'no'} |")
    print(f"\npeak memory of the parent process: -j1 {j1['memory']} MiB, -j2 {j2['memory']} MiB, "
          f"cached {warm['memory']} MiB")
    print(f"clang-tidy exit status {tidy.returncode}")


if __name__ == "__main__":
    main()
