#!/usr/bin/env bash
# Benchmark: copies one image of about SIZE (default 1G, random so incompressible, in 4 layers) from one local
# registry to another, with `containerize copy` and with `skopeo copy`, in the same run, each into a fresh destination
# registry (nothing already there) and ours with an empty content cache. Reports wall time and peak memory
# (/usr/bin/time -v) for each round.
# Usage: build/bench-copy.sh [SIZE] [ROUNDS]     e.g. build/bench-copy.sh 1G 2
# Needs: docker-registry, skopeo, /usr/bin/time (build/prereqs.sh installs them), about 4x SIZE free in $TMPDIR.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
size=${1:-1G}
rounds=${2:-1}

work=$(mktemp -d "${TMPDIR:-/tmp}/containers-bench-copy.XXXXXX")
cleanup() {
  for dir in "$work"/registry-*; do [ -d "$dir" ] && "$here/registry.sh" stop "$dir" --rm >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT

echo "bench-copy: building containerize (Release)" >&2
dotnet build "$here/../src/Containers.Cli/Containers.Cli.csproj" -c Release --artifacts-path "$work/artifacts" -nologo -v quiet >&2
tool=(dotnet "$work/artifacts/bin/Containers.Cli/release/containerize.dll")

source_registry=$("$here/registry.sh" start "$work/registry-source")
"$here/base-images.sh" "$source_registry" >&2

echo "bench-copy: making a $size image (4 random layers) in $source_registry" >&2
mkdir -p "$work/content"
bytes=$(numfmt --from=iec "$size")
layers=()
for i in 1 2 3 4; do
  head -c $((bytes / 4)) /dev/urandom > "$work/content/part-$i.bin"
  layers+=(--layer "$work/content/part-$i.bin=/data/part-$i.bin")
done
mkdir -p "$work/empty"
"${tool[@]}" --quiet --cache-dir "$work/cache-build" build "$work/empty" --base "$source_registry/dotnet/runtime-deps:10.0" \
  --to "$source_registry/bench/big:1" --entrypoint /bin/true "${layers[@]}" >&2
rm -rf "$work/content" "$work/cache-build"
image_bytes=$("${tool[@]}" --json inspect "$source_registry/bench/big:1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["layersSize"])')

measure() {   # name, then the command; prints "name seconds peak-MiB"
  local name=$1; shift
  /usr/bin/time -v -o "$work/time.txt" "$@" > /dev/null 2> "$work/stderr.txt" || { cat "$work/stderr.txt" >&2; exit 1; }
  awk -v name="$name" -v bytes="$image_bytes" -F': ' '
    /Elapsed \(wall clock\) time/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i] }
    /Maximum resident set size/ { rss = $2 / 1024 }
    END { printf "%-14s %9.2f %9.1f %12.1f\n", name, s, bytes / 1048576 / s, rss }' "$work/time.txt"
}

echo "image: $(numfmt --to=iec "$image_bytes") in the source registry; ${rounds} round(s)"
printf '%-14s %9s %9s %12s\n' tool seconds "MiB/s" "peak RSS MiB"
for round in $(seq 1 "$rounds"); do
  ours=$("$here/registry.sh" start "$work/registry-ours-$round")
  measure containerize "${tool[@]}" --quiet --cache-dir "$work/cache-$round" copy "$source_registry/bench/big:1" "$ours/bench/big:1"
  "$here/registry.sh" stop "$work/registry-ours-$round" --rm >/dev/null 2>&1; rm -rf "$work/cache-$round"
  theirs=$("$here/registry.sh" start "$work/registry-skopeo-$round")
  measure "skopeo copy" skopeo copy --quiet --src-tls-verify=false --dest-tls-verify=false "docker://$source_registry/bench/big:1" "docker://$theirs/bench/big:1"
  "$here/registry.sh" stop "$work/registry-skopeo-$round" --rm >/dev/null 2>&1
done
