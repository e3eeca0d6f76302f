#!/usr/bin/env bash
# Runs every test: unit tests (pure logic) and integration tests (a real docker-registry started by the tests,
# podman, skopeo, and `dotnet publish -t:PublishContainer` end to end). Installs what is missing first.
# Ends with one line "tests: N passed, N failed, N skipped".
# Usage: build/test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~EndToEnd]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

build/prereqs.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1
log=$(mktemp "${TMPDIR:-/tmp}/containers-test.XXXXXX.log")
status=0
dotnet test Containers.sln -c Release --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log" || status=$?

# dotnet test prints one summary per test project; add them up into a line CI can read.
python3 - "$log" <<'PY'
import re, sys
counts = {"passed": 0, "failed": 0, "skipped": 0}
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    # Minimal verbosity: "Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12"
    m = re.search(r"Failed:\s*(\d+),\s*Passed:\s*(\d+),\s*Skipped:\s*(\d+),\s*Total:", line)
    if m:
        counts["failed"] += int(m.group(1)); counts["passed"] += int(m.group(2)); counts["skipped"] += int(m.group(3))
        continue
    # Normal verbosity: a block of "     Passed: 12" / "     Failed: 1" / "    Skipped: 2" after "Total tests:"
    m = re.match(r"^\s+(Passed|Failed|Skipped):\s*(\d+)\s*$", line)
    if m:
        counts[m.group(1).lower()] += int(m.group(2))
print(f"tests: {counts['passed']} passed, {counts['failed']} failed, {counts['skipped']} skipped")
PY
rm -f "$log"
exit "$status"
