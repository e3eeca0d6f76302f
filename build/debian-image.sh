#!/usr/bin/env bash
# Builds a Debian 12 base image with a real package database and pushes it over plain HTTP to REGISTRY as
#   REGISTRY/debian/dotnet-runtime:12   a minbase Debian bookworm (mmdebstrap: dpkg status, apt sources, keyrings),
#                                       without tzdata
#                                       + /usr/share/dotnet from THIS machine's .NET (as build/base-images.sh)
# for the OS package tests (ContainerPackage, docs/packages.md). The packages come from the mirror this machine's
# own apt configuration names (/etc/apt/sources.list.d/debian.sources, else /etc/apt/sources.list), read now,
# so the image's /etc/apt sources point at the same mirror. Built once into an OCI layout cache at
#   ${CONTAINERS_FIXTURE_CACHE:-$HOME/.cache/containers-fixtures}/debian-image-<runtime version>/
#   (rebuilt when this script changes; the mmdebstrap root file system is cached beside it as debian-rootfs-<hash>.tar,
#   made again only when the mirror or the recipe changes); later calls only push. Needs root (mmdebstrap) or sudo.
# Usage: build/debian-image.sh REGISTRY
set -euo pipefail
umask 022

log() { echo "debian-image: $*" >&2; }
die() { log "error: $*"; exit 1; }

REGISTRY=${1:-}
[ -n "$REGISTRY" ] || die "usage: $0 REGISTRY   (e.g. localhost:5000)"
for c in dotnet umoci skopeo jq mmdebstrap flock sha256sum; do
  command -v "$c" >/dev/null || die "'$c' not found (run build/prereqs.sh)"
done

DOTNET_DIR=$(dirname "$(readlink -f "$(command -v dotnet)")")
VERSION=$( (cd "$DOTNET_DIR/shared/Microsoft.NETCore.App" && printf '%s\n' 10.0.*) | grep -E '^10\.0\.[0-9]+$' | sort -V | tail -n 1 || true)
[ -n "$VERSION" ] || die "no 10.0.x Microsoft.NETCore.App under $DOTNET_DIR/shared"
SOURCES=/etc/apt/sources.list.d/debian.sources
[ -f "$SOURCES" ] || SOURCES=/etc/apt/sources.list
[ -f "$SOURCES" ] || die "no apt sources on this machine to take the mirror from"

CACHE_ROOT=${CONTAINERS_FIXTURE_CACHE:-${HOME:-/tmp}/.cache/containers-fixtures}
CACHE=$CACHE_ROOT/debian-image-$VERSION
STAMP=$( { sha256sum < "${BASH_SOURCE[0]}"; sha256sum < "$SOURCES"; echo "$DOTNET_DIR $VERSION"; } | sha256sum | cut -c1-64)
EPOCH=1700000000
# tzdata is 'required' in bookworm, so minbase has it; it is purged so the tests can install it (and prove it works).
MMDEBSTRAP=(mmdebstrap --quiet --variant=minbase '--customize-hook=chroot "$1" dpkg --purge tzdata' bookworm)
# The root file system is kept apart from the image, keyed by the recipe and the mirror only: it takes the longest
# (about 30 s to 2 min), and does not change when the rest of this script does.
ROOTFS=$CACHE_ROOT/debian-rootfs-$( { echo "${MMDEBSTRAP[*]} $EPOCH"; sha256sum < "$SOURCES"; } | sha256sum | cut -c1-16).tar
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; fi

build() {
  local w=$1 r=$1/runtime L=$1/oci
  if [ ! -f "$ROOTFS" ]; then
    log "${MMDEBSTRAP[*]} (from the mirror in $SOURCES)"
    SOURCE_DATE_EPOCH=$EPOCH $SUDO "${MMDEBSTRAP[@]}" "$w/rootfs.tar" "$SOURCES" >&2
    $SUDO chown "$(id -u):$(id -g)" "$w/rootfs.tar"
    mv "$w/rootfs.tar" "$ROOTFS"
  fi
  mkdir -p "$r/usr/bin" "$r/usr/share/dotnet/shared/Microsoft.NETCore.App"
  cp -a "$DOTNET_DIR/dotnet" "$DOTNET_DIR/host" "$r/usr/share/dotnet/"
  cp -a "$DOTNET_DIR/shared/Microsoft.NETCore.App/$VERSION" "$r/usr/share/dotnet/shared/Microsoft.NETCore.App/"
  ln -s /usr/share/dotnet/dotnet "$r/usr/bin/dotnet"
  (cd "$r" && tar -cf "$w/runtime.tar" --sort=name --numeric-owner --owner=0 --group=0 --mtime=@0 --format=posix \
     --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime usr)
  local h=(--history.created "1970-01-01T00:00:00Z")
  umoci init --layout "$L"
  umoci new --image "$L:runtime"
  umoci config --image "$L:runtime" --no-history --created "1970-01-01T00:00:00Z" --os linux --architecture amd64
  umoci raw add-layer --image "$L:runtime" "${h[@]}" --history.created_by "${MMDEBSTRAP[*]}" "$ROOTFS"
  umoci raw add-layer --image "$L:runtime" "${h[@]}" --history.created_by "ADD dotnet-runtime.tar /" "$w/runtime.tar"
  # No ICU in minbase: the runtime starts invariant unless the app asks otherwise (and brings libicu72).
  local e env_args=()
  for e in PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin DOTNET_RUNNING_IN_CONTAINER=true \
           DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=true "DOTNET_VERSION=$VERSION"; do env_args+=(--config.env "$e"); done
  umoci config --image "$L:runtime" "${h[@]}" --history.created_by "ENV" "${env_args[@]}"
  umoci gc --layout "$L"
  # umoci leaves out the manifest's (optional) mediaType; registries' images carry it, and readers may expect it.
  local old new digest
  old=$(jq -r '.manifests[0].digest' "$L/index.json")
  new=$(jq -cj '{schemaVersion, mediaType: "application/vnd.oci.image.manifest.v1+json"} + .' "$L/blobs/sha256/${old#sha256:}")
  digest=$(printf '%s' "$new" | sha256sum | cut -c1-64)
  printf '%s' "$new" > "$L/blobs/sha256/$digest"
  jq -c ".manifests[0].digest = \"sha256:$digest\" | .manifests[0].size = $(printf '%s' "$new" | wc -c)" "$L/index.json" > "$L/index.json.tmp"
  mv "$L/index.json.tmp" "$L/index.json"
  echo "$STAMP" > "$L/stamp"
}

mkdir -p "$CACHE_ROOT"
exec 9>"$CACHE.lock"
flock 9
if [ "$(cat "$CACHE/stamp" 2>/dev/null)" != "$STAMP" ]; then
  WORK=$(mktemp -d "$CACHE_ROOT/.debian.XXXXXX")
  trap '$SUDO rm -rf "$WORK"' EXIT
  build "$WORK"
  rm -rf "$CACHE"
  mv "$WORK/oci" "$CACHE"
  log "cached in $CACHE"
fi
flock -s 9
log "pushing $REGISTRY/debian/dotnet-runtime:12"
skopeo copy -q --format oci --dest-tls-verify=false "oci:$CACHE:runtime" "docker://$REGISTRY/debian/dotnet-runtime:12" >&2
log "done: $REGISTRY/debian/dotnet-runtime:12"
