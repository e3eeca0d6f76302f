#!/usr/bin/env bash
# Benchmark: pushes one random layer of each size to a throw-away local registry and reports throughput and peak
# memory, to show memory stays flat whatever the blob's size (the upload streams through a small buffer).
# Usage: build/bench-push.sh [SIZE...]        sizes for head -c, default: 256M 1G
#   CONTAINERS_REGISTRY_CHUNK_SIZE=8M build/bench-push.sh 1G    the chunk size to push with (default 32M)
# Needs: docker-registry (see build/registry.sh), /usr/bin/time, about 2x the largest size free in $TMPDIR.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(256M 1G)

work=$(mktemp -d "${TMPDIR:-/tmp}/containers-bench-push.XXXXXX")
cleanup() {
  "$here/registry.sh" stop "$work/registry" --rm >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "bench: building build/bench (Release)" >&2
dotnet build "$here/bench/Containers.Bench.csproj" -c Release --artifacts-path "$work/artifacts" -nologo -v quiet >&2
dll="$work/artifacts/bin/Containers.Bench/release/Containers.Bench.dll"
registry=$("$here/registry.sh" start "$work/registry")

printf '%-8s %10s %9s %12s %16s\n' size seconds "MiB/s" "peak RSS" "max RSS (time)"
for size in "${sizes[@]}"; do
  blob="$work/blob-$size"
  head -c "$size" /dev/urandom > "$blob"
  # Each size goes to its own repository, so nothing is skipped as already present.
  /usr/bin/time -v -o "$work/time-$size.txt" dotnet "$dll" "$registry" "$blob" "bench/size-$(echo "$size" | tr 'A-Z' 'a-z')" > "$work/result-$size.json"
  result=$(cat "$work/result-$size.json")
  maxrss=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f MiB", $2 / 1024}' "$work/time-$size.txt")
  field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$result" "$1"; }
  printf '%-8s %10s %9s %12s %16s\n' "$size" "$(field seconds)" "$(field mibPerSecond)" "$(field peakRssMiB) MiB" "$maxrss"
  rm -f "$blob"
  "$here/registry.sh" stop "$work/registry" >/dev/null 2>&1   # frees the registry's storage between sizes
  rm -rf "$work/registry/data"
  registry=$("$here/registry.sh" start "$work/registry" 2>/dev/null)
done
