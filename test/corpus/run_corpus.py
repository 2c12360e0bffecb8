#!/usr/bin/env python3
"""Runs taskfit over the real-code corpora and holds its findings to the triage.

  run_corpus.py --taskfit BIN --work DIR [--only NAME] [--jobs N] [--results FILE]

For each corpus of corpora.py: makes its tree (build_corpus.py), runs taskfit
over its compile_commands.json, and compares every finding of the checks that
find defects (blocking calls, CPU-bound loops, payloads; not the model
recommendations) at warning or error level with triage.yaml. It fails when

  - a finding is not in the triage (untriaged: triage it, or fix its cause);
  - a finding triaged true is no longer found (a lost true finding);
  - a finding triaged false is found (a false positive is a defect to fix,
    kept in the triage only while its cause is open);
  - a translation unit fails that is not left out with a reason.

A triaged false finding that is no longer found is reported as fixed: remove
it from the triage. --results writes what docs/precision.md tabulates.
"""
import argparse
import collections
import json
import os
import pathlib
import subprocess
import sys
import time

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import build_corpus  # noqa: E402
from corpora import CORPORA  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent
DEFECT_CHECKS = (
    "blocking-call-in-coroutine",
    "blocking-call-on-event-loop",
    "cpu-bound-loop-in-coroutine",
    "cpu-bound-loop-in-thread-pool",
    "non-serialisable-process-payload",
)


def load_triage(path):
    """corpus -> {(check, file:line:column): entry}; every entry says why."""
    with open(path) as f:
        data = yaml.safe_load(f) or {}
    triage = {}
    for corpus, entries in data.items():
        table = triage.setdefault(corpus, {})
        for entry in entries or []:
            missing = [k for k in ("at", "check", "verdict", "reason") if k not in entry]
            if missing or entry["verdict"] not in (True, False) or not str(entry["reason"]).strip():
                sys.exit(f"{path}: {corpus}: entry {entry} needs at, check, a true/false verdict "
                         "and a reason")
            key = (entry["check"], entry["at"])
            if key in table:
                sys.exit(f"{path}: {corpus}: {entry['check']} at {entry['at']} is triaged twice")
            table[key] = entry
    return triage


def run_taskfit(taskfit, root, jobs, output):
    started = time.monotonic()
    proc = subprocess.run(
        [taskfit, "-p", str(root), "--source-root", str(root), "--format=json", "-o", str(output),
         "-j", str(jobs), "--quiet"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seconds = time.monotonic() - started
    # 0: clean, 1: findings, 2: a TU failed (reported below); anything else is the tool's fault.
    if proc.returncode not in (0, 1, 2) or not output.exists():
        sys.exit(f"taskfit exited {proc.returncode} on {root}:\n{proc.stdout}")
    with open(output) as f:
        return json.load(f), seconds


def defects(report):
    found = {}
    for finding in report["findings"]:
        if finding["check"] in DEFECT_CHECKS and finding["level"] in ("warning", "error"):
            at = f"{finding['file']}:{finding['line']}:{finding['column']}"
            found[(finding["check"], at)] = finding
    return found


def compare(name, found, triaged):
    """The problems of one corpus, and its counts per check."""
    problems = []
    counts = collections.defaultdict(lambda: collections.Counter())
    for key, finding in sorted(found.items()):
        check, at = key
        entry = triaged.get(key)
        if entry is None:
            problems.append(f"{name}: untriaged {check} at {at}: {finding['message']}")
            counts[check]["untriaged"] += 1
        elif entry["verdict"]:
            counts[check]["true"] += 1
        else:
            problems.append(f"{name}: false positive {check} at {at} (triaged false: "
                            f"{entry['reason']})")
            counts[check]["false"] += 1
    for key, entry in sorted(triaged.items()):
        if key in found:
            continue
        check, at = key
        if entry["verdict"]:
            problems.append(f"{name}: true finding lost: {check} at {at} ({entry['reason']})")
            counts[check]["lost"] += 1
        else:
            print(f"{name}: fixed: the false {check} at {at} is gone; remove it from the triage")
    return problems, counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--taskfit", required=True)
    parser.add_argument("--work", required=True, help="where the corpora's trees are made")
    parser.add_argument("--triage", default=str(HERE / "triage.yaml"))
    parser.add_argument("--only")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--results", help="write the counts per corpus and check as JSON")
    options = parser.parse_args()

    triage = load_triage(options.triage)
    work = pathlib.Path(options.work).resolve()
    work.mkdir(parents=True, exist_ok=True)
    problems, results = [], {}
    for corpus in CORPORA:
        name = corpus["name"]
        if options.only and name != options.only:
            continue
        missing = build_corpus.missing_sources(corpus)
        if missing:
            sys.exit(f"{name}: {missing} is not installed (package {corpus['package']}); "
                     "scripts/setup installs it")
        tus, skipped = build_corpus.build(corpus, work)
        report, seconds = run_taskfit(options.taskfit, work / name, options.jobs,
                                      work / f"{name}.json")
        for failure in report["failures"]:
            errors = "; ".join(e["message"] for e in failure.get("errors", [])[:2])
            problems.append(f"{name}: {failure['file']} could not be analysed ({errors}); "
                            "fix it or leave it out in corpora.py with the reason")
        found = defects(report)
        corpus_problems, counts = compare(name, found, triage.get(name, {}))
        problems += corpus_problems
        results[name] = {
            "translation_units": report["translationUnits"],
            "left_out": skipped,
            "seconds": round(seconds, 1),
            "checks": {check: dict(c) for check, c in sorted(counts.items())},
        }
        summary = ", ".join(f"{check}: {dict(c)}" for check, c in sorted(counts.items()))
        print(f"{name}: {report['translationUnits']} TUs ({skipped} left out) in {seconds:.0f} s; "
              f"{len(found)} findings" + (f" ({summary})" if summary else ""))
    if options.results:
        with open(options.results, "w") as f:
            json.dump(results, f, indent=1)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problems; see {options.triage}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
