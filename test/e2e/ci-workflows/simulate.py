"""Runs a GitHub Actions workflow's jobs locally, the way a runner would, to
test the workflows docs/ci shows: jobs in `needs` order, one per matrix
combination, each in a fresh checkout at the same workspace path; `run`
steps in bash with ${{ matrix.* }} substituted; after a failed step only
steps with `if: always()` run, and jobs that need a failed job are skipped;
artifacts, checkout and the SARIF upload simulated. The step with `id: install` (it builds taskfit from
GitHub) is skipped: TASKFIT points at the taskfit under test.

usage: simulate.py <workflow.yml> <project dir> <taskfit> <work dir>
Prints the path of the uploaded SARIF file."""
import fnmatch
import itertools
import os
import re
import shutil
import subprocess
import sys

import yaml

workflow_path, project, taskfit, work = sys.argv[1:5]
workflow = yaml.safe_load(open(workflow_path))
workspace = os.path.join(work, "workspace")
artifacts = os.path.join(work, "artifacts")
os.makedirs(artifacts, exist_ok=True)
uploaded = None


def substitute(text, matrix):
    def value(match):
        expression = match.group(1).strip()
        if expression.startswith("matrix."):
            return str(matrix[expression[len("matrix."):]])
        if expression == "github.workspace":
            return workspace
        if expression.startswith("github."):
            return "simulated"
        raise SystemExit(f"unsupported expression: {expression}")
    return re.sub(r"\$\{\{(.*?)\}\}", value, text)


def ordered_jobs(jobs):
    done, order = set(), []
    while len(order) < len(jobs):
        for name, job in jobs.items():
            needs = job.get("needs", [])
            needs = [needs] if isinstance(needs, str) else needs
            if name not in done and all(n in done for n in needs):
                done.add(name)
                order.append(name)
    return order


def combinations(job):
    matrix = job.get("strategy", {}).get("matrix", {})
    keys = [k for k in matrix if isinstance(matrix[k], list)]
    for values in itertools.product(*(matrix[k] for k in keys)):
        yield dict(zip(keys, values))


failed_jobs = set()
for name in ordered_jobs(workflow["jobs"]):
    job = workflow["jobs"][name]
    needs = job.get("needs", [])
    if any(n in failed_jobs for n in ([needs] if isinstance(needs, str) else needs)):
        print(f"[{name}] skipped: a job it needs failed", file=sys.stderr)
        continue
    for matrix in combinations(job):
        failed = False
        shutil.rmtree(workspace, ignore_errors=True)  # a fresh runner
        env = dict(os.environ)
        for key, text in {**workflow.get("env", {}), **job.get("env", {})}.items():
            env[key] = substitute(str(text), matrix)
        env["TASKFIT"] = taskfit
        for step in job["steps"]:
            if failed and step.get("if") != "always()":
                continue
            uses = step.get("uses", "")
            inputs = {k: substitute(str(v), matrix) for k, v in step.get("with", {}).items()}
            if uses.startswith("actions/checkout@"):
                shutil.copytree(project, workspace)
            elif uses.startswith("actions/upload-artifact@"):
                target = os.path.join(artifacts, inputs["name"])
                os.makedirs(target, exist_ok=True)
                shutil.copy(os.path.join(workspace, inputs["path"]), target)
            elif uses.startswith("actions/download-artifact@"):
                assert inputs.get("merge-multiple") == "True", "only merge-multiple is simulated"
                for artifact in sorted(os.listdir(artifacts)):
                    if fnmatch.fnmatch(artifact, inputs["pattern"]):
                        for file in os.listdir(os.path.join(artifacts, artifact)):
                            shutil.copy(os.path.join(artifacts, artifact, file), workspace)
            elif uses.startswith("github/codeql-action/upload-sarif@"):
                uploaded = os.path.join(work, "uploaded.sarif")
                shutil.copy(os.path.join(workspace, inputs["sarif_file"]), uploaded)
            elif uses:
                raise SystemExit(f"unsupported action: {uses}")
            elif step.get("id") == "install":
                continue
            else:
                script = substitute(step["run"], matrix)
                print(f"[{name} {matrix}] {step.get('name', '')}", file=sys.stderr)
                status = subprocess.run(["bash", "-e", "-c", script], cwd=workspace, env=env,
                                        stdout=sys.stderr).returncode
                if status != 0:
                    print(f"[{name} {matrix}] failed with exit status {status}", file=sys.stderr)
                    failed = True
                    failed_jobs.add(name)
print(uploaded)
