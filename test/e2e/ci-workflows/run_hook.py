"""Runs a hook of .pre-commit-hooks.yaml as pre-commit would on the given
files: its entry (with `taskfit` replaced by the binary under test), its
args, then the files its `types_or` selects. Exits with the hook's status.

usage: run_hook.py <hooks.yaml> <hook id> <taskfit> <dir> <file>..."""
import os
import shlex
import subprocess
import sys

import yaml

hooks_path, hook_id, taskfit, directory, *files = sys.argv[1:]
hook = next(h for h in yaml.safe_load(open(hooks_path)) if h["id"] == hook_id)
assert hook["language"] == "system"
# pre-commit's identify tags: c++ covers C++ sources and headers.
CPP = {".cc", ".cpp", ".cxx", ".c++", ".h", ".hh", ".hpp", ".hxx", ".ipp", ".tpp"}
assert hook["types_or"] == ["c++"]
selected = [f for f in files if os.path.splitext(f)[1] in CPP]
entry = shlex.split(hook["entry"])
assert entry[0] == "taskfit"
command = [taskfit] + entry[1:] + hook.get("args", []) + selected
sys.exit(subprocess.run(command, cwd=directory).returncode)
