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
passed = failed = skipped = 0
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    m = re.search(r"Failed:\s*(\d+),\s*Passed:\s*(\d+),\s*Skipped:\s*(\d+),\s*Total:\s*(\d+)", line)
    if m:
        failed += int(m.group(1)); passed += int(m.group(2)); skipped += int(m.group(3))
print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
PY
rm -f "$log"
exit "$status"
