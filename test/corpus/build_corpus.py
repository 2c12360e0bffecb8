#!/usr/bin/env python3
"""Makes the corpora of corpora.py: project trees with a compile_commands.json each.

  build_corpus.py <out-dir> [--only NAME]

Writes <out-dir>/<corpus>/ (the sources, vendored headers and shims, and
compile_commands.json) and <out-dir>/<corpus>/skipped.json (the TUs left out,
each with its reason).
"""
import argparse
import json
import os
import pathlib
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from corpora import CORPORA  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent


def copy_tree(source, target):
    """Copies source (a file or folder) to target, keeping sources and headers only."""
    source, target = pathlib.Path(source), pathlib.Path(target)
    if source.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
        return
    for path in source.rglob("*"):
        if path.is_file() and path.suffix in (".cpp", ".hpp", ".h", ".ipp", ".pem"):
            dest = target / path.relative_to(source)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dest)


def missing_sources(corpus):
    """The first of a corpus' sources not installed, or None."""
    for source, _ in corpus["copy"] + corpus.get("vendor", []):
        if not pathlib.Path(source).exists():
            return source
    return None


def standard_for(corpus, relative, default):
    for word, std in corpus.get("std_by_name", {}).items():
        if word in relative:
            return std
    return default


def flags_for(corpus, relative):
    return [flag for word, flags in corpus.get("flags_by_name", {}).items() if word in relative
            for flag in flags]


def build(corpus, out):
    root = out / corpus["name"]
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    for source, target in corpus["copy"] + corpus.get("vendor", []):
        copy_tree(source, root / target)
    for shim, target in corpus.get("shims", []):
        copy_tree(HERE / shim, root / target)

    entries, skipped = [], []
    for folder, std, extra in corpus["groups"]:
        for source in sorted((root / folder).rglob("*.cpp")):
            relative = str(source.relative_to(root))
            if relative in corpus["skip"]:
                skipped.append({"file": relative, "reason": corpus["skip"][relative]})
                continue
            args = (["g++-12", "-std=" + standard_for(corpus, relative, std)] + corpus["flags"] +
                    extra + flags_for(corpus, relative) + ["-c", relative, "-o", relative + ".o"])
            entries.append({"directory": str(root), "file": relative, "arguments": args})
    with open(root / "compile_commands.json", "w") as f:
        json.dump(entries, f, indent=1)
    with open(root / "skipped.json", "w") as f:
        json.dump(skipped, f, indent=1)
    return len(entries), len(skipped)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--only")
    options = parser.parse_args()
    out = pathlib.Path(options.out).resolve()
    for corpus in CORPORA:
        if options.only and corpus["name"] != options.only:
            continue
        tus, skipped = build(corpus, out)
        print(f"{corpus['name']}: {tus} translation units, {skipped} left out")
    return 0


if __name__ == "__main__":
    sys.exit(main())
