#!/usr/bin/env bash
# Builds and runs the runtime benchmarks next to their Python 3 equivalents; see run.py.
exec python3 "$(dirname "$0")/run.py" "$@"
