#!/usr/bin/env bash
# Installs the tools the container tests need on a Debian machine, and configures podman.
#   - apt packages: docker-registry podman runc skopeo umoci apache2-utils curl jq
#     (apt-get update runs only when something is missing)
#   - /etc/containers/containers.conf: runc runtime + ulimits that a container may set
#     (crun fails on this kind of host, and the default rlimits are too high).
# Usage: build/prereqs.sh        (as root, or via sudo; quick no-op when all is in place)
set -euo pipefail

log() { echo "prereqs: $*" >&2; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# command -> Debian package
declare -A PKG_FOR=(
  [docker-registry]=docker-registry [podman]=podman [runc]=runc [skopeo]=skopeo
  [umoci]=umoci [htpasswd]=apache2-utils [curl]=curl [jq]=jq
)
missing=()
for cmd in "${!PKG_FOR[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${PKG_FOR[$cmd]}")
done
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
