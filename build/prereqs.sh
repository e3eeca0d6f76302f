#!/usr/bin/env bash
# Installs the tools the container tests need on a Debian machine, and configures podman.
#   - apt packages: docker-registry podman runc skopeo umoci apache2-utils curl jq bsdutils (script: the CLI's
#     pseudo-terminal test) time (/usr/bin/time -v: build/bench-copy.sh's peak memory)
#     mmdebstrap (the Debian base image of the OS package tests, build/debian-image.sh)
#     (apt-get update runs only when something is missing)
#   - /etc/containers/containers.conf: runc runtime + ulimits that a container may set
#     (crun fails on this kind of host, and the default rlimits are too high).
#   - arm64 emulation (best effort: only warns when it fails): qemu-user-static and binfmt-support,
#     binfmt_misc mounted, qemu-aarch64 enabled, so `podman run --platform linux/arm64` works
#   - the SBOM validators (npm ci in tests/Containers.IntegrationTests/SupplyChain/validators; Node.js from Debian if missing)
# Usage: build/prereqs.sh        (as root, or via sudo; quick no-op when all is in place)
set -euo pipefail

log() { echo "prereqs: $*" >&2; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# command -> Debian package
declare -A PKG_FOR=(
  [docker-registry]=docker-registry [podman]=podman [runc]=runc [skopeo]=skopeo
  [umoci]=umoci [htpasswd]=apache2-utils [curl]=curl [jq]=jq [script]=bsdutils [mmdebstrap]=mmdebstrap
)
missing=()
for cmd in "${!PKG_FOR[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${PKG_FOR[$cmd]}")
done
# `time` is also a shell keyword, so command -v cannot tell whether the program is there.
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >&2
  $SUDO apt-get install -y -qq "${missing[@]}" >&2
fi

CONF=/etc/containers/containers.conf
WANT='[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
[engine]
runtime = "runc"'
if [ -f "$CONF" ] && grep -q '^[[:space:]]*runtime[[:space:]]*=[[:space:]]*"runc"' "$CONF" \
   && grep -q '^[[:space:]]*default_ulimits[[:space:]]*=.*nofile=1024:1024' "$CONF"; then
  :
else
  if [ -f "$CONF" ]; then
    backup="$CONF.bak.$(date +%s)"
    log "$CONF lacks the runc/ulimit settings; saving it as $backup and rewriting it"
    $SUDO cp -p "$CONF" "$backup"
  else
    log "writing $CONF"
  fi
  $SUDO mkdir -p "$(dirname "$CONF")"
  printf '%s\n' "$WANT" | $SUDO tee "$CONF" >/dev/null
fi

# No registries.conf change is needed: "localhost:PORT/..." is a fully qualified reference,
# and podman/skopeo talk plain HTTP to it with --tls-verify=false.

# arm64 emulation, for running linux/arm64 images (multi-arch tests): qemu-user-static registered
# with the kernel's binfmt_misc (Debian registers it with the F flag, so containers need no qemu of
# their own). Best effort: when it cannot be set up, say so and go on; the tests that run arm64
# images then skip or fail on their own. Quick when in place: one read of the kernel's entry.
QEMU_BINFMT=/proc/sys/fs/binfmt_misc/qemu-aarch64
qemu_ready() {
  [ -r "$QEMU_BINFMT" ] && [ "$(head -n 1 "$QEMU_BINFMT" 2>/dev/null)" = enabled ]
}
setup_qemu() {
  local pkgs=()
  command -v qemu-aarch64-static >/dev/null 2>&1 || pkgs+=(qemu-user-static)
  command -v update-binfmts >/dev/null 2>&1 || pkgs+=(binfmt-support)
  if [ ${#pkgs[@]} -gt 0 ]; then
    log "installing: ${pkgs[*]}"
    export DEBIAN_FRONTEND=noninteractive
    if ! $SUDO apt-get install -y -qq "${pkgs[@]}" >&2; then
      $SUDO apt-get update -qq >&2 && $SUDO apt-get install -y -qq "${pkgs[@]}" >&2 || return 1
    fi
  fi
  if [ ! -e /proc/sys/fs/binfmt_misc/register ]; then
    log "mounting binfmt_misc"
    $SUDO mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc >&2 || return 1
  fi
  if ! qemu_ready; then
    $SUDO update-binfmts --enable qemu-aarch64 >&2 || return 1
  fi
  qemu_ready
}
if ! qemu_ready; then
  if setup_qemu; then
    log "arm64 emulation enabled (qemu-aarch64 in binfmt_misc)"
  else
    log "warning: could not set up arm64 emulation (qemu-user-static + binfmt_misc); linux/arm64 images will not run here"
  fi
fi

# The supply-chain tests' independent SBOM validators (docs/supply-chain.md): npm packages pinned by the
# package-lock.json in tests/Containers.IntegrationTests/SupplyChain/validators, installed there once, so the tests
# need no network. Node.js and npm come from Debian when the machine has none. Quick when in place: a stamp holds the
# lock file's hash.
VALIDATORS=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tests/Containers.IntegrationTests/SupplyChain/validators
if [ -f "$VALIDATORS/package-lock.json" ]; then
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    log "installing: nodejs npm"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get install -y -qq nodejs npm >&2 || { $SUDO apt-get update -qq >&2 && $SUDO apt-get install -y -qq nodejs npm >&2; }
  fi
  want=$(sha256sum < "$VALIDATORS/package-lock.json" | cut -c1-64)
  if [ "$(cat "$VALIDATORS/node_modules/.containers-stamp" 2>/dev/null)" != "$want" ]; then
    log "installing the SBOM validators (npm ci in $VALIDATORS)"
    (cd "$VALIDATORS" && npm ci --no-fund --no-audit --loglevel=error >&2)
    echo "$want" > "$VALIDATORS/node_modules/.containers-stamp"
  fi
fi
