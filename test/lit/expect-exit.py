#!/usr/bin/env python3
"""Runs a command and succeeds only if it exits with the given code.

usage: expect-exit.py CODE COMMAND [ARG...]
lit's internal shell has `not` but no way to name the exact exit code, and
taskfit's exit codes (0, 1, 2, 3) each mean something.
"""
import subprocess
import sys

expected = int(sys.argv[1])
status = subprocess.call(sys.argv[2:])
if status != expected:
    sys.stderr.write(f"expect-exit: '{sys.argv[2]}' exited {status}, expected {expected}\n")
    sys.exit(1)
