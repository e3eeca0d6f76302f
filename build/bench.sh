#!/usr/bin/env bash
# Benchmarks the SDK's built-in container support against Containers.Build, in one run, on the same apps and the
# same local registry. docs/benchmark.md explains what is measured and how; this is the command it gives.
#
# Usage: build/bench.sh [--ref GITREF] [RESULTS_FILE]
#   RESULTS_FILE    also write the markdown report there (it always goes to stdout; progress goes to stderr)
#   --ref GITREF    pack Containers.Build from that commit (git archive) instead of the working tree's src/
#                   (the samples always come from the working tree)
# Env:
#   BENCH_APPS      samples to measure (default "ConsoleApp WebApp HeavyWebApp")
#   BENCH_MODES     fd (framework-dependent) and/or sc (self-contained linux-x64) (default "fd sc")
#   BENCH_ROUNDS    how many times to run everything, each round on fresh copies and an empty registry (default 3);
#                   the report shows each row's median round and every round's container-targets time
#   BENCH_KEEP=1    keep the work folder (copies, logs, registry) instead of deleting it
#   BENCH_STRICT=1  exit 3 when a target fails (default: report FAIL and exit 0)
#
# For each app and mode there are two copies of the sample: "ours" (references the freshly packed Containers.Build)
# and "sdk" (the reference removed, so the SDK's built-in runs). Each pushes to its own new repository. Four
# scenarios run in order: cold (empty container caches, new repository), unchanged (publish again), edit (one string
# literal in Program.cs changed), fresh (a fresh CI agent: a new checkout in another folder, with an empty obj/ and
# empty tool caches, another one-line edit, the edit's image in the registry). For each: plain `dotnet publish` until
# up to date, then the container publish, timed, with its peak RSS, the blobs it added to the registry, and the
# resulting digest.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

say() { printf '%s bench: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { say "error: $*"; exit 1; }

ref="" results_file=""
while [ $# -gt 0 ]; do
  case "$1" in
    --ref) [ $# -ge 2 ] || die "--ref needs a git ref"; ref=$2; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ {sub(/^# ?/, ""); print; next} NR > 1 {exit}' "${BASH_SOURCE[0]}" >&2; exit 0 ;;
    -*) die "unknown option $1 (usage: build/bench.sh [--ref GITREF] [RESULTS_FILE])" ;;
    *) [ -z "$results_file" ] || die "more than one RESULTS_FILE"; results_file=$1; shift ;;
  esac
done
if [ -n "$results_file" ]; then
  mkdir -p "$(dirname "$results_file")"
  results_file="$(cd "$(dirname "$results_file")" && pwd)/$(basename "$results_file")"
fi
apps=${BENCH_APPS:-ConsoleApp WebApp HeavyWebApp}
modes=${BENCH_MODES:-fd sc}
rounds=${BENCH_ROUNDS:-3}
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || die "BENCH_ROUNDS: '$rounds' is not a positive whole number"
for app in $apps; do [ -f "$root/samples/$app/$app.csproj" ] || die "no sample samples/$app/$app.csproj"; done
for mode in $modes; do case $mode in fd|sc) ;; *) die "BENCH_MODES: unknown mode '$mode' (fd or sc)" ;; esac; done

started=$(date +%s)
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
say "prerequisites"
"$root/build/prereqs.sh"
if [ ! -x /usr/bin/time ]; then
  say "installing GNU time (for peak memory)"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >&2 \
    || { $sudo apt-get update -qq >&2 && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >&2; }
fi
for c in dotnet skopeo jq python3 git tar /usr/bin/time; do command -v "$c" >/dev/null || die "'$c' not found"; done

# ---------------------------------------------------------------------------------------------------- work folder
work=$(mktemp -d "${TMPDIR:-/tmp}/containers-bench.XXXXXX")
version="0.1.0-bench.$(date +%s)"
nuget_packages=${NUGET_PACKAGES:-$HOME/.nuget/packages}
# shellcheck disable=SC2317  # (called through the EXIT trap)
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  for dir in "$work"/registry-*; do [ -d "$dir" ] && "$root/build/registry.sh" stop "$dir" >/dev/null 2>&1; done || true
  # The fresh package version is only of use to this run: keep the global packages folder from growing.
  rm -rf "$nuget_packages/containers.build/$version"
  if [ "${BENCH_KEEP:-}" = 1 ]; then
    say "kept $work"
  else
    rm -rf "$work"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'say "interrupted"; exit 130' INT TERM

mkdir -p "$work/feed" "$work/apps" "$work/logs" "$work/cache/xdg" "$work/cache/containers" "$work/tmp"
# Caches the container tools may keep outside obj/: the built-in keeps base image blobs and its layers under
# $XDG_CACHE_HOME/dotnet/Containers and uses the temp folder; ours honours CONTAINERS_CACHE_DIR / XDG_CACHE_HOME.
dotnet_env=(
  env TMPDIR="$work/tmp" XDG_CACHE_HOME="$work/cache/xdg" CONTAINERS_CACHE_DIR="$work/cache/containers"
  MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_DO_NOT_USE_MSBUILD_SERVER=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
  DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
)

# ----------------------------------------------------------------------------------------------------- the package
src_root=$root
if [ -n "$ref" ]; then
  commit=$(git -C "$root" rev-parse --verify "$ref^{commit}") || die "not a commit: $ref"
  say "exporting src/ at $commit"
  mkdir -p "$work/source"
  git -C "$root" archive "$commit" | tar -x -C "$work/source"
  src_root=$work/source
  source_desc="commit $commit (--ref $ref)"
else
  commit=$(git -C "$root" rev-parse HEAD 2>/dev/null || echo unknown)
  source_desc="commit $commit"
  if [ -n "$(git -C "$root" status --porcelain -- src 2>/dev/null)" ]; then
    source_desc="$source_desc plus uncommitted changes in src/"
  fi
fi
say "packing Containers.Build $version (from $source_desc)"
# --artifacts-path keeps this build's bin/obj out of the working tree.
if ! dotnet pack "$src_root/src/Containers.Build" -c Release -o "$work/feed" --artifacts-path "$work/artifacts" \
      -p:ContainersVersion="$version" -nologo -v:quiet >"$work/logs/pack.log" 2>&1; then
  tail -n 30 "$work/logs/pack.log" >&2
  die "dotnet pack failed (log above; try --ref HEAD if the working tree is mid-change)"
fi

# The copies stand alone like a user's project: the samples' props, and a private feed with the fresh package.
cp "$root/samples/Directory.Build.props" "$root/samples/Directory.Packages.props" "$work/"
cat > "$work/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="containers-bench" value="$work/feed" />
  </packageSources>
</configuration>
XML

# ---------------------------------------------------------------------------------------------------- registry
# Each round gets an empty registry (so "cold" is a first push every time) with the stand-in base images.
start_round_registry() {   # ROUND
  if [ -n "${registry_dir:-}" ]; then   # the previous round's (its storage only kept with BENCH_KEEP=1)
    "$root/build/registry.sh" stop "$registry_dir" $([ "${BENCH_KEEP:-}" = 1 ] || echo --rm) >/dev/null 2>&1 || true
  fi
  registry_dir=$work/registry-$1
  say "round $1: starting a local registry"
  registry=$("$root/build/registry.sh" start "$registry_dir")
  blob_root=$registry_dir/data/docker/registry/v2/blobs
  say "registry $registry; pushing base images"
  "$root/build/base-images.sh" "$registry" >&2
}

# ------------------------------------------------------------------------------------------------------- helpers
lower() { printf '%s' "$1" | tr '[:upper:]' '[:lower:]'; }

# "<hex> <size>" for every blob in the registry's storage (layers, configs and manifests alike), sorted.
snapshot() {
  if [ -d "$blob_root" ]; then
    find "$blob_root" -type f -name data -printf '%h %s\n' | sed 's|^.*/||' | LC_ALL=C sort
  fi
}

# Runs a command under GNU time; sets $elapsed (wall, s), $cpu (user + system, s) and $peak_kb (max RSS).
# On failure shows the log's tail and stops.
timed() {   # LOG CMD...
  local log=$1; shift
  local tf=$work/logs/time.out
  if ! /usr/bin/time -f '%e %M %U %S' -o "$tf" "$@" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    die "failed: $* (log: $log; set BENCH_KEEP=1 to keep it)"
  fi
  local user sys
  read -r elapsed peak_kb user sys < <(tail -n 1 "$tf")
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.2f", u + s}')
}

# Digests of the manifest(s) and config(s) the tag points at: everything pushed that is not a layer.
metadata_digests() {   # IMAGE
  local raw top child
  top=$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$1")
  raw=$(skopeo inspect --tls-verify=false --raw "docker://$1")
  echo "${top#sha256:}"
  if jq -e '.manifests' <<<"$raw" >/dev/null; then
    for child in $(jq -r '.manifests[].digest' <<<"$raw"); do
      echo "${child#sha256:}"
      skopeo inspect --tls-verify=false --raw "docker://${1%:*}@$child" | jq -r '.config.digest // empty' | sed 's/^sha256://'
    done
  else
    jq -r '.config.digest // empty' <<<"$raw" | sed 's/^sha256://'
  fi
}

# Where a copy lives: the first checkout under $work, a fresh agent's under its own root (same layout below it).
copy_dir() {   # APP MODE TOOL [ROOT]
  echo "${4:-$work}/apps/r$round-$1-$2-$3"
}

setup_copy() {   # APP MODE TOOL [ROOT]
  local app=$1 mode=$2 tool=$3 dst
  dst=$(copy_dir "$@")
  mkdir -p "$dst"
  (cd "$root/samples/$app" && tar --exclude=./bin --exclude=./obj -cf - .) | tar -x -C "$dst"
  local proj=$dst/$app.csproj
  if [ "$tool" = ours ]; then
    sed -i "s/\$(ContainersBuildVersion)/$version/" "$proj"
    grep -q "\"Containers.Build\" Version=\"$version\"" "$proj" || die "could not set the Containers.Build version in $proj"
  else
    sed -i '/Include="Containers.Build"/d' "$proj"
    ! grep -q 'Containers.Build' "$proj" || die "could not remove the Containers.Build reference from $proj"
  fi
}

# The one-line edit: a string literal in Program.cs, so the app's assembly really changes.
edit_copy() {   # DIR [WORDS]
  local file=$1/Program.cs words=${2:-Hello again from}
  if grep -q 'Hello from ' "$file"; then
    sed -i "0,/Hello from /s//$words /" "$file"
  else
    echo "// edited by build/bench.sh: $words" >> "$file"
  fi
}

# A fresh CI agent: a new checkout of the same sources in another folder (its own root, with the same props and feed,
# so the project sits at the same place below it), nothing built, no obj/. The previous image is in the registry.
setup_fresh_copy() {   # APP MODE TOOL
  local fresh_root=$work/fresh-r$round
  mkdir -p "$fresh_root"
  cp "$work/Directory.Build.props" "$work/Directory.Packages.props" "$work/nuget.config" "$fresh_root/"
  setup_copy "$1" "$2" "$3" "$fresh_root"
  # The digest it replaces, so "digest changed" compares with the image in the registry.
  cp "$(copy_dir "$1" "$2" "$3")/.bench-digest" "$(copy_dir "$1" "$2" "$3" "$fresh_root")/" 2>/dev/null || true
}

# Seconds spent in the container targets, from MSBuild's target performance summary of the same process: every
# target whose name has "Container" in it, except the two the built-in's PublishContainer runs through CallTarget
# (their time is already inside PublishContainer's). Free of process start, evaluation and restore noise.
container_targets_s() {   # LOG
  awk '/^Target Performance Summary:/ {on = 1; next} /^Task Performance Summary:/ {on = 0}
       on && $2 == "ms" && $3 ~ /Container/ && $3 != "_PublishSingleContainer" && $3 != "_PublishMultiArchContainers" {ms += $1}
       END {printf "%.2f", ms / 1000}' "$1"
}

# Empties every container cache: ours and the built-in's outside the project, and any containers folder in obj/.
clear_caches() {   # DIR
  rm -rf "$work/cache/xdg" "$work/cache/containers" "$work/tmp"
  mkdir -p "$work/cache/xdg" "$work/cache/containers" "$work/tmp"
  if [ -d "$1/obj" ]; then find "$1/obj" -depth -type d -iname 'containers*' -exec rm -rf {} +; fi
}

printf 'round\tapp\tmode\tscenario\ttool\tpublish_s\tplain_s\tpublish_cpu_s\tplain_cpu_s\ttargets_s\tpeak_kb\tnew_blobs\tnew_bytes\tlayer_blobs\tlayer_bytes\tdigest\tchanged\tload1\n' > "$work/results.tsv"

measure() {   # APP MODE SCENARIO TOOL
  local app=$1 mode=$2 scenario=$3 tool=$4
  local dir repo base plain_runs i plain_s plain_cpu
  dir=$(copy_dir "$app" "$mode" "$tool")
  if [ "$scenario" = fresh ]; then dir=$(copy_dir "$app" "$mode" "$tool" "$work/fresh-r$round"); fi
  repo=bench/$(lower "$app")-$mode-$tool
  case "$mode" in
    sc) base=runtime-deps ;;
    *) if grep -q 'Microsoft.NET.Sdk.Web' "$dir/$app.csproj"; then base=aspnet; else base=runtime; fi ;;
  esac
  local args=("$dir/$app.csproj" -c Release -nologo -m:1 -nodeReuse:false -p:UseSharedCompilation=false
              -p:ContainerBaseImage="$registry/dotnet/$base:10.0" -p:ContainerRegistry="$registry"
              -p:ContainerRepository="$repo")
  if [ "$mode" = sc ]; then args+=(-r linux-x64 --self-contained); fi
  local tag=r$round-$app-$mode-$tool-$scenario

  case "$scenario" in
    cold) plain_runs=2 ;;            # the first builds from scratch, the second is the up-to-date one
    unchanged) plain_runs=1 ;;
    edit) edit_copy "$dir"; plain_runs=2 ;;   # the first compiles the edit
    fresh) edit_copy "$dir" "Hello fresh from"; plain_runs=2 ;;   # restore and build from nothing, then up to date
  esac
  for ((i = 1; i <= plain_runs; i++)); do
    timed "$work/logs/$tag-plain$i.log" "${dotnet_env[@]}" dotnet publish "${args[@]}"
  done
  plain_s=$elapsed plain_cpu=$cpu
  if [ "$scenario" = cold ] || [ "$scenario" = fresh ]; then clear_caches "$dir"; fi

  snapshot > "$work/before"
  local load1
  load1=$(cut -d' ' -f1 /proc/loadavg)   # other work on the machine skews wall times: the report shows it
  timed "$work/logs/$tag-container.log" "${dotnet_env[@]}" dotnet publish "${args[@]}" -t:PublishContainer -clp:PerformanceSummary
  local publish_s=$elapsed publish_cpu=$cpu peak=$peak_kb targets_s
  targets_s=$(container_targets_s "$work/logs/$tag-container.log")
  snapshot > "$work/after"

  local digest changed prev
  digest=$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$registry/$repo:latest") \
    || die "no image at $registry/$repo:latest after $tag (log: $work/logs/$tag-container.log)"
  prev=$(cat "$dir/.bench-digest" 2>/dev/null || true)
  if [ -z "$prev" ]; then changed=new; elif [ "$prev" = "$digest" ]; then changed=no; else changed=yes; fi
  echo "$digest" > "$dir/.bench-digest"

  metadata_digests "$registry/$repo:latest" | LC_ALL=C sort -u > "$work/meta"
  LC_ALL=C comm -13 "$work/before" "$work/after" > "$work/new"
  local new_blobs new_bytes layer_blobs layer_bytes
  read -r new_blobs new_bytes < <(awk '{n++; s+=$2} END {print n+0, s+0}' "$work/new")
  read -r layer_blobs layer_bytes < <(awk 'NR==FNR {meta[$1]=1; next} !($1 in meta) {n++; s+=$2} END {print n+0, s+0}' \
                                        "$work/meta" "$work/new")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$app" "$mode" "$scenario" "$tool" "$publish_s" "$plain_s" \
    "$publish_cpu" "$plain_cpu" "$targets_s" "$peak" "$new_blobs" "$new_bytes" "$layer_blobs" "$layer_bytes" "$digest" "$changed" "$load1" >> "$work/results.tsv"
  say "$(printf 'r%s %-11s %-2s %-9s %-4s publish %6.2fs (cpu %6.2fs, targets %5.2fs) plain %6.2fs (cpu %6.2fs) +%d blobs %9d B (layers %9d B) digest %-3s peak %d MB load %s' \
    "$round" "$app" "$mode" "$scenario" "$tool" "$publish_s" "$publish_cpu" "$targets_s" "$plain_s" "$plain_cpu" "$new_blobs" "$new_bytes" "$layer_bytes" \
    "$changed" $((peak / 1024)) "$load1")"
}

# ------------------------------------------------------------------------------------------------------- the run
for ((round = 1; round <= rounds; round++)); do
  start_round_registry "$round"
  for app in $apps; do
    for mode in $modes; do
      for tool in sdk ours; do setup_copy "$app" "$mode" "$tool"; done
      for scenario in cold unchanged edit; do
        for tool in sdk ours; do measure "$app" "$mode" "$scenario" "$tool"; done
      done
      for tool in sdk ours; do setup_fresh_copy "$app" "$mode" "$tool"; done
      for tool in sdk ours; do measure "$app" "$mode" fresh "$tool"; done
    done
  done
done

# ------------------------------------------------------------------------------------------------------- report
elapsed_total=$(( $(date +%s) - started ))
sdk_version=$(dotnet --version)
{
  echo "## Results"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); Containers.Build $version from $source_desc"
  echo "- .NET SDK $sdk_version (built-in: Microsoft.NET.Build.Containers of that SDK); $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB; local docker-registry over loopback"
  echo "- command: \`build/bench.sh${ref:+ --ref $ref}\` (BENCH_APPS=\"$apps\" BENCH_MODES=\"$modes\" BENCH_ROUNDS=$rounds); whole run $((elapsed_total / 60)) min $((elapsed_total % 60)) s"
  echo "- load average (1, 5, 15 min) at the start: $load_start; at the end: $(cut -d' ' -f1-3 /proc/loadavg) (on $(nproc) cores: above that, wall times are inflated by other work)"
  echo "- fd = framework-dependent, sc = self-contained linux-x64; overhead = container publish − plain up-to-date publish"
  echo "  (wall, and CPU = user + system); container targets = time of the *Container* targets in MSBuild's performance summary;"
  echo "  uploaded = blobs new in the registry's storage (layers, config, manifest); digest changed: vs the previous scenario"
} > "$work/header.md"
status=0
python3 "$root/build/bench/report.py" "$work/results.tsv" "$work/header.md" > "$work/report.md" || status=$?
[ "$status" = 0 ] || [ "$status" = 3 ] || die "report.py failed"
cat "$work/report.md"
if [ -n "$results_file" ]; then cp "$work/report.md" "$results_file"; say "report written to $results_file"; fi
say "done in $((elapsed_total / 60)) min $((elapsed_total % 60)) s"
exit "$status"
