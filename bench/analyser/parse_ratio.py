#!/usr/bin/env python3
"""taskfit's analysis time against clang's parse time, on the same TUs, in one run.

Parsing is the floor for any Clang-based analyser: `clang++-19 -fsyntax-only`
with the same flags. This runs both over every TU of the given compilation
databases (by default the demo service and taskfit's own sources), alternating
rounds so that machine noise hits both alike, and prints the best time of each
and their ratio (target: taskfit <= 1.10x the parse time). Both sides run one
TU at a time (taskfit with -j1), so the ratio compares work, not cores.

usage: parse_ratio.py [--rounds N] [--taskfit PATH] [DB_DIR...]
"""
import argparse
import json
import os
import shlex
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def clang_commands(db_dir):
    """Each TU's command, turned into clang++-19 -fsyntax-only with the flags taskfit uses."""
    with open(os.path.join(db_dir, 'compile_commands.json')) as f:
        entries = json.load(f)
    commands = []
    for e in entries:
        args = e['arguments'] if 'arguments' in e else shlex.split(e['command'])
        out, skip = ['clang++-19'], False
        for a in args[1:]:
            if skip:
                skip = False
                continue
            if a in ('-o', '-MF', '-MT', '-MQ'):
                skip = True
                continue
            if a in ('-c', '-MD', '-MMD') or a.startswith('-o'):
                continue
            out.append(a)
        if any(a.startswith(('-std=c++2', '-std=gnu++2')) for a in out):
            out += ['-DASIO_HAS_CO_AWAIT=1', '-DASIO_HAS_STD_COROUTINE=1']
        out += ['-fsyntax-only', '-w']
        commands.append((e['directory'], out))
    return commands


def time_clang(commands):
    start = time.perf_counter()
    for directory, cmd in commands:
        subprocess.run(cmd, cwd=directory, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def time_taskfit(taskfit, db_dirs):
    start = time.perf_counter()
    for db in db_dirs:
        subprocess.run([taskfit, '-p', db, '-j1', '--quiet', '-o', os.devnull],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument('--taskfit', default=os.path.join(ROOT, 'build', 'tool', 'taskfit'))
    parser.add_argument('dbs', nargs='*')
    opts = parser.parse_args()

    dbs = opts.dbs
    if not dbs:
        demo = os.path.join(ROOT, 'build', 'bench-demo')
        subprocess.run(['cmake', '-S', os.path.join(ROOT, 'examples', 'demo-service'), '-B', demo,
                        '-G', 'Ninja', '-DCMAKE_CXX_COMPILER=g++-12'], check=True,
                       stdout=subprocess.DEVNULL)
        own = os.path.join(ROOT, 'build', 'bench-own')
        subprocess.run(['cmake', '-S', ROOT, '-B', own, '-G', 'Ninja', '-DCMAKE_CXX_COMPILER=clang++-19',
                        '-DTASKFIT_BUILD_TESTS=OFF', '-DTASKFIT_BUILD_EXAMPLES=OFF'], check=True,
                       stdout=subprocess.DEVNULL)
        dbs = [demo, own]
    commands = [c for db in dbs for c in clang_commands(db)]

    best_clang, best_taskfit = float('inf'), float('inf')
    for _ in range(opts.rounds):
        best_clang = min(best_clang, time_clang(commands))
        best_taskfit = min(best_taskfit, time_taskfit(opts.taskfit, dbs))
    ratio = best_taskfit / best_clang
    print(f'translation units:            {len(commands)}')
    print(f'clang++-19 -fsyntax-only:     {best_clang:8.2f} s (best of {opts.rounds})')
    print(f'taskfit (extract+link+check): {best_taskfit:8.2f} s (best of {opts.rounds})')
    print(f'ratio taskfit / parse:        {ratio:8.2f}x   (target <= 1.10x)')
    return 0


if __name__ == '__main__':
    sys.exit(main())
