#!/usr/bin/env python3
"""Builds the runtime benchmarks, runs them and their Python 3 equivalents in the same run, and
prints the comparison table of docs/performance.md (## Runtime) with ratios and targets.

Usage: bench/runtime/run.py [--build-dir DIR] [--compiler clang++-19] [--quick]
Ratios are what matters: absolute times on a shared 2-vCPU machine move 5-10x between runs."""
import argparse
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HERE = os.path.dirname(os.path.abspath(__file__))

# metric -> (label, our benchmark, target test, target text)
ROWS = [
    ("thread_pool_submit", "thread pool submit + future", "BM_ThreadPoolSubmitAndFuture",
     lambda ours, raw: ours >= 2e6, ">= 2M/s"),
    ("thread_pool_round_trip", "thread pool submit -> result round trip", "BM_ThreadPoolRoundTrip",
     lambda ours, raw: ours <= 10e-6, "<= 10 us"),
    ("process_pool_submit", "process pool submit, one task at a time",
     "BM_ProcessPoolSubmitOneAtATime", lambda ours, raw: ours >= 300e3, ">= 300k/s"),
    ("process_pool_map", "process pool chunked map", "BM_ProcessPoolChunkedMap",
     lambda ours, raw: ours >= 10e6, ">= 10M/s"),
    ("process_pool_round_trip", "process pool serial round trip", "BM_ProcessPoolRoundTrip",
     lambda ours, raw: ours <= 15e-6, "<= 15 us"),
    ("process_pool_1mib", "process pool 1 MiB argument + result", "BM_ProcessPoolOneMebibyte",
     lambda ours, raw: ours <= 1.5e-3, "<= 1.5 ms"),
    ("process_pool_start", "process pool start (2 workers), own fork server", "BM_ProcessPoolStart",
     lambda ours, raw: ours <= 2e-3, "<= 2 ms"),
    ("process_pool_start", "process pool start (2 workers), fork server started early",
     "BM_ProcessPoolStartWithForkServer", lambda ours, raw: ours <= 2e-3, "<= 2 ms"),
    ("process_pool_start_after_idle",
     "process pool start (2 workers) after 10 ms idle, fork server started early",
     "BM_ProcessPoolStartAfterIdle", lambda ours, raw: ours <= 2e-3, "<= 2 ms"),
    ("process_pool_crash", "worker crash -> broken-pool error", "BM_ProcessPoolWorkerCrash",
     lambda ours, raw: ours <= 1e-3, "<= 1 ms"),
    ("create_task", "create a task", "BM_CreateTask", lambda ours, raw: ours <= 200e-9, "<= 200 ns"),
    ("yield", "yield to the loop", "BM_YieldToTheLoop", lambda ours, raw: ours <= 100e-9,
     "<= 100 ns"),
    ("tcp_echo", "TCP echo round trip, one connection", "BM_TcpEchoRoundTrip",
     lambda ours, raw: raw is not None and ours <= 1.10 * raw, "within 10% of raw epoll"),
    ("to_thread", "to_thread round trip", "BM_ToThreadRoundTrip", lambda ours, raw: ours <= 25e-6,
     "<= 25 us"),
    ("run_in_executor_process", "run_in_executor on a process pool", "BM_RunInExecutorProcessPool",
     lambda ours, raw: ours <= 30e-6, "<= 30 us"),
]
# metric -> (benchmark, description): what the machine itself costs for the row, measured in the
# same run. Python's time over the floor is the best ratio any implementation could show.
FLOORS = {
    "process_pool_1mib": ("BM_FloorOneMebibyteCopies", "four 1 MiB copies into mapped memory"),
    "process_pool_crash": ("BM_FloorChildKillToReap", "SIGKILL of a small idle child to its reaped status"),
    "tcp_echo": ("BM_FloorLoopbackEchoSyscalls", "the echo's four system calls, no waiting"),
}
THROUGHPUT = {"thread_pool_submit", "process_pool_submit", "process_pool_map"}
# Benchmarks that report a batch as items/s but whose metric is the time of one item.
PER_ITEM_LATENCY = {"create_task", "yield", "tcp_echo", "to_thread", "run_in_executor_process"}
PER_ITEM_BENCHMARKS = {"BM_FloorLoopbackEchoSyscalls"}


def run(command, **kwargs):
    print("+ " + " ".join(command), file=sys.stderr)
    return subprocess.run(command, check=True, text=True, **kwargs)


def build(build_dir, compiler):
    run(["cmake", "-S", ROOT, "-B", build_dir, "-G", "Ninja", f"-DCMAKE_CXX_COMPILER={compiler}",
         "-DCMAKE_BUILD_TYPE=Release", "-DTASKFIT_BUILD_ANALYSER=OFF", "-DTASKFIT_BUILD_TESTS=OFF",
         "-DTASKFIT_BUILD_EXAMPLES=ON", "-DTASKFIT_BUILD_BENCHMARKS=ON"], stdout=subprocess.DEVNULL)
    run(["cmake", "--build", build_dir, "-j", "2", "--target", "taskfit_runtime_bench",
         "example_cpu_bound_benchmark", "example_io_bound_benchmark"], stdout=subprocess.DEVNULL)


def ours(build_dir, quick):
    command = [os.path.join(build_dir, "bench", "taskfit_runtime_bench"), "--benchmark_format=json"]
    if not quick:
        command += ["--benchmark_repetitions=3", "--benchmark_report_aggregates_only=true"]
    report = json.loads(run(command, stdout=subprocess.PIPE).stdout)
    values = {}
    for entry in report["benchmarks"]:
        name = entry["run_name"] if "run_name" in entry else entry["name"]
        name = name.split("/")[0]
        if entry.get("aggregate_name", "median") not in ("median",):
            continue
        seconds = entry["real_time"] * {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[entry["time_unit"]]
        values[name] = {"items_per_second": entry.get("items_per_second"), "seconds": seconds}
    return values


def ours_metric(metric, benchmark, values):
    entry = values[benchmark]
    if metric in THROUGHPUT:
        return entry["items_per_second"]
    if metric in PER_ITEM_LATENCY:
        return 1.0 / entry["items_per_second"]
    return entry["seconds"]


def human(metric, value):
    if value is None:
        return "-"
    if metric in THROUGHPUT:
        return f"{value / 1e6:.2f}M/s" if value >= 1e6 else f"{value / 1e3:.1f}k/s"
    if value >= 1e-3:
        return f"{value * 1e3:.2f} ms"
    if value >= 1e-6:
        return f"{value * 1e6:.2f} us"
    return f"{value * 1e9:.0f} ns"


def seed_benchmarks(build_dir, n, delay_ms):
    env = dict(os.environ, TASKFIT_EXAMPLE_IO_MS=str(delay_ms))
    cpp_cpu = run([os.path.join(build_dir, "examples", "cpu_bound_benchmark"), str(n)],
                  stdout=subprocess.PIPE).stdout
    cpp_io = run([os.path.join(build_dir, "examples", "io_bound_benchmark")], env=env,
                 stdout=subprocess.PIPE).stdout
    python = run([sys.executable, os.path.join(HERE, "python_seed_benchmarks.py"), str(n),
                  str(delay_ms)], stdout=subprocess.PIPE).stdout

    def times(text, heading):
        section = text[text.index(heading):]
        found = {}
        for label in ("Sequential", "Threading", "Multiprocessing", "Asyncio"):
            match = re.search(label + r": ([0-9.]+)s", section)
            if match and label not in found:
                found[label] = float(match.group(1))
        return found

    rows = []
    for heading, cpp_text in (("CPU-BOUND", cpp_cpu), ("I/O-BOUND", cpp_io)):
        py = times(python, heading)
        cpp = times(cpp_text, heading)
        for label in ("Sequential", "Threading", "Multiprocessing", "Asyncio"):
            if label in py and label in cpp:
                rows.append((heading, label, py[label], cpp[label]))
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build-dir", default=os.path.join(ROOT, "build-bench"))
    parser.add_argument("--compiler", default="clang++-19")
    parser.add_argument("--quick", action="store_true", help="one repetition, shorter seed runs")
    parser.add_argument("--primes-n", type=int, default=200_000)
    parser.add_argument("--io-delay-ms", type=int, default=1000)
    args = parser.parse_args()

    build(args.build_dir, args.compiler)
    values = ours(args.build_dir, args.quick)
    python = json.loads(run([sys.executable, os.path.join(HERE, "python_bench.py")],
                            stdout=subprocess.PIPE).stdout)
    raw_epoll = 1.0 / values["BM_RawEpollEchoRoundTrip"]["items_per_second"]

    print("## Runtime table (Python 3 vs taskfit, same machine, same run)\n")
    print("| metric | Python 3 | taskfit | taskfit vs Python | target | target met |")
    print("|---|---|---|---|---|---|")
    for metric, label, benchmark, meets, target in ROWS:
        mine = ours_metric(metric, benchmark, values)
        theirs = python.get(metric, {}).get("value")
        if theirs is None:
            ratio = "-"
        elif metric in THROUGHPUT:
            ratio = f"{mine / theirs:.1f}x"
        else:
            ratio = f"{theirs / mine:.1f}x"
        reference = raw_epoll if metric == "tcp_echo" else None
        target_text = target + (f" (raw epoll {human('tcp_echo', raw_epoll)})" if reference else "")
        print(f"| {label} | {human(metric, theirs)} | {human(metric, mine)} | {ratio} | "
              f"{target_text} | {'yes' if meets(mine, reference) else 'no'} |")
    if "process_pool_start_forkserver" in python:
        print(f"\nPython process pool start with the forkserver method: "
              f"{human('process_pool_start', python['process_pool_start_forkserver']['value'])}")

    n = 50_000 if args.quick else args.primes_n
    delay = 200 if args.quick else args.io_delay_ms
    print("\n## Floors (same run): the machine's own cost of a row, without any runtime\n")
    print("| metric | floor | measured as | Python 3 / floor (best ratio possible) | taskfit / floor |")
    print("|---|---|---|---|---|")
    for metric, (benchmark, description) in FLOORS.items():
        entry = values[benchmark]
        floor = (1.0 / entry["items_per_second"] if benchmark in PER_ITEM_BENCHMARKS
                 else entry["seconds"])
        label, ours_benchmark = next((r[1], r[2]) for r in ROWS if r[0] == metric)
        mine = ours_metric(metric, ours_benchmark, values)
        theirs = python.get(metric, {}).get("value")
        best = f"{theirs / floor:.1f}x" if theirs else "-"
        print(f"| {label} | {human(metric, floor)} | {description} | {best} | {mine / floor:.2f}x |")

    print(f"\n## seeds/003 benchmarks (primes n={n}, 4 tasks; 4 requests, {delay} ms server delay)\n")
    print("| benchmark | variant | Python 3 | taskfit | taskfit vs Python |")
    print("|---|---|---|---|---|")
    for heading, label, py, cpp in seed_benchmarks(args.build_dir, n, delay):
        ratio = f"{py / cpp:.1f}x" if cpp > 0 else "-"
        print(f"| {heading} | {label} | {py:.3f} s | {cpp:.3f} s | {ratio} |")


if __name__ == "__main__":
    main()
