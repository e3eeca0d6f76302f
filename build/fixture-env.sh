#!/usr/bin/env bash
# One-stop test fixture: installs prerequisites, starts a local registry and pushes the .NET base
# images to it, then prints shell lines to export its address and folder.
# Usage:  eval "$(build/fixture-env.sh [DIR])"
#         ... run tests against $CONTAINERS_TEST_REGISTRY (e.g. localhost:41234) ...
#         build/registry.sh stop "$CONTAINERS_TEST_REGISTRY_DIR" --rm
# Only the two export lines go to stdout; progress goes to stderr.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

"$here/prereqs.sh"
dir=${1:-$(mktemp -d "${TMPDIR:-/tmp}/containers-registry.XXXXXX")}
registry=$("$here/registry.sh" start "$dir")
dir=$(cd "$dir" && pwd)
if ! "$here/base-images.sh" "$registry"; then
  "$here/registry.sh" stop "$dir" || true
  exit 1
fi
printf 'export CONTAINERS_TEST_REGISTRY=%q\n' "$registry"
printf 'export CONTAINERS_TEST_REGISTRY_DIR=%q\n' "$dir"
