#!/usr/bin/env python3
"""The GitHub workflows cannot run on our machines: this checks what can be
checked here. Each parses as YAML, names its triggers and jobs, every job
runs on a runner and has steps, every `uses:` is pinned to a version, and no
step prints a secret."""
import glob
import re
import sys

import yaml

failed = 0
paths = sorted(glob.glob(".github/workflows/*.yml"))
if not paths:
    sys.exit("no workflows found in .github/workflows")
for path in paths:
    def bad(msg):
        global failed
        failed += 1
        print(f"{path}: {msg}", file=sys.stderr)

    with open(path, encoding="utf-8") as f:
        try:
            doc = yaml.safe_load(f)
        except yaml.YAMLError as e:
            bad(f"not YAML: {e}")
            continue
    # YAML 1.1 reads the key `on` as True.
    if not (doc.get("on") or doc.get(True)):
        bad("no triggers (on:)")
    jobs = doc.get("jobs") or {}
    if not jobs:
        bad("no jobs")
    for name, job in jobs.items():
        if "runs-on" not in job:
            bad(f"job {name} has no runs-on")
        for i, step in enumerate(job.get("steps") or [], 1):
            uses = step.get("uses")
            if uses and not re.search(r"@(v\d+(\.\d+)*|[0-9a-f]{40}|stable)$", uses):
                bad(f"job {name}, step {i}: `uses: {uses}` is not pinned to a version")
            if "run" not in step and not uses:
                bad(f"job {name}, step {i} neither runs nor uses anything")
            if re.search(r"echo[^\n]*\$\{\{\s*secrets\.", step.get("run", "")):
                bad(f"job {name}, step {i} echoes a secret")
    print(f"{path}: {len(jobs)} job(s), valid")
sys.exit(1 if failed else 0)
