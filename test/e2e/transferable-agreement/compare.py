"""Compares the runtime's verdicts (name accepted|rejected per line) with the
analyser's findings (JSON): a type is rejected by the analyser when a finding's
trace starts in its submit_<Name> function. Prints every disagreement."""
import json
import re
import sys

runtime = {}
for line in open(sys.argv[1]):
    name, verdict = line.split()
    runtime[name] = verdict

analyser = {name: 'accepted' for name in runtime}
for finding in json.load(open(sys.argv[2]))['findings']:
    if finding['check'] != 'non-serialisable-process-payload':
        continue
    match = re.match(r"'submit_(\w+)' hands it to", finding['trace'][0]['message'])
    if match:
        analyser[match.group(1)] = 'rejected'

disagreements = [f'{name}: runtime {runtime[name]}, analyser {analyser[name]}'
                 for name in runtime if runtime[name] != analyser[name]]
for d in disagreements:
    print('disagreement:', d)
accepted = sum(v == 'accepted' for v in runtime.values())
print(f'{len(runtime)} types, {accepted} accepted, {len(runtime) - accepted} rejected, '
      f'{len(disagreements)} disagreements')
sys.exit(1 if disagreements or accepted == 0 or accepted == len(runtime) else 0)
