"""Checks a GitLab code quality report (the fields GitLab reads) and prints
one line per issue: severity, check, path:line."""
import json
import sys

SEVERITIES = {"info", "minor", "major", "critical", "blocker"}
issues = json.load(open(sys.argv[1]))
assert isinstance(issues, list), "the report must be a JSON array"
print(f"{len(issues)} issues")
for issue in sorted(issues, key=lambda i: (i["location"]["path"], i["location"]["lines"]["begin"])):
    assert issue["type"] == "issue"
    assert isinstance(issue["description"], str) and issue["description"]
    assert isinstance(issue["check_name"], str) and issue["check_name"]
    assert isinstance(issue["fingerprint"], str) and issue["fingerprint"]
    assert issue["severity"] in SEVERITIES, issue["severity"]
    line = issue["location"]["lines"]["begin"]
    assert isinstance(line, int) and line >= 1
    print(f'{issue["severity"]} {issue["check_name"]} {issue["location"]["path"]}:{line}')
assert len({i["fingerprint"] for i in issues}) == len(issues), "fingerprints must be unique"
