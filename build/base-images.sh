#!/usr/bin/env bash
# Builds stand-ins for the official .NET base images from THIS machine's .NET install and pushes
# them over plain HTTP to REGISTRY as:
#   REGISTRY/dotnet/runtime-deps:10.0   loader + glibc/libstdc++/zlib, root+app(1654) users, /tmp 1777
#   REGISTRY/dotnet/runtime:10.0        + /usr/share/dotnet (dotnet, host/, Microsoft.NETCore.App)
#   REGISTRY/dotnet/aspnet:10.0         + Microsoft.AspNetCore.App
# Single-platform (linux/amd64) OCI manifests, env as in the official 10.0 images (no USER, no
# Entrypoint/Cmd). Images are built once with umoci into an OCI layout cache at
#   ${CONTAINERS_FIXTURE_CACHE:-$HOME/.cache/containers-fixtures}/base-images-<runtime version>/
# (rebuilt when this script changes); later calls only push from that cache.
# Usage: build/base-images.sh REGISTRY        e.g. build/base-images.sh localhost:5000
# Env:   CONTAINERS_BASE_IMAGE_FORMAT=oci|v2s2  manifest format to push (default oci)
set -euo pipefail
umask 022

log() { echo "base-images: $*" >&2; }
die() { log "error: $*"; exit 1; }

REGISTRY=${1:-}
[ -n "$REGISTRY" ] || die "usage: $0 REGISTRY   (e.g. localhost:5000)"
[ "$(uname -m)" = x86_64 ] || die "only x86_64 hosts are supported"
for c in dotnet umoci skopeo jq tar flock sha256sum; do
  command -v "$c" >/dev/null || die "'$c' not found (run build/prereqs.sh)"
done

DOTNET_DIR=$(dirname "$(readlink -f "$(command -v dotnet)")")
latest10() {   # newest 10.0.x folder under shared/$1, or nothing
  (cd "$DOTNET_DIR/shared/$1" 2>/dev/null && printf '%s\n' 10.0.*) | grep -E '^10\.0\.[0-9]+$' | sort -V | tail -n 1 || true
}
VERSION=$(latest10 Microsoft.NETCore.App)
ASPNET_VERSION=$(latest10 Microsoft.AspNetCore.App)
[ -n "$VERSION" ] || die "no 10.0.x Microsoft.NETCore.App under $DOTNET_DIR/shared"
[ -n "$ASPNET_VERSION" ] || die "no 10.0.x Microsoft.AspNetCore.App under $DOTNET_DIR/shared"

CACHE_ROOT=${CONTAINERS_FIXTURE_CACHE:-${HOME:-/tmp}/.cache/containers-fixtures}
CACHE=$CACHE_ROOT/base-images-$VERSION
STAMP=$( { sha256sum < "${BASH_SOURCE[0]}"; echo "$DOTNET_DIR $VERSION $ASPNET_VERSION"; } | sha256sum | cut -c1-64)
MULTIARCH=x86_64-linux-gnu
LIBS="libc.so.6 libdl.so.2 libgcc_s.so.1 libm.so.6 libpthread.so.0 librt.so.1 libstdc++.so.6 libz.so.1"
EPOCH=1970-01-01T00:00:00Z

# Copies host path $2 into rootfs $1 at the same path, following its symlink chain: each link is
# kept as a link and the real file is copied. Parent folders are canonicalised (merged /usr).
copy_chain() {
  local root=$1 p=$2 dir t
  while :; do
    dir=$(readlink -f "$(dirname "$p")")
    p=$dir/$(basename "$p")
    [ -e "$p" ] || die "missing $p"
    mkdir -p "$root$dir"
    cp -P --preserve=mode "$p" "$root$p"
    [ -L "$p" ] || break
    t=$(readlink "$p")
    case $t in /*) p=$t ;; *) p=$dir/$t ;; esac
  done
}

# Writes a sorted tar of rootfs $1 to $2, everything owned 0:0 except entries given as "path:uid".
make_tar() {
  local root=$1 out=$2; shift 2
  local pax=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime
  local opts=(--sort=name --numeric-owner --mtime=@0 --format=posix --pax-option="$pax")
  local excl=() e
  for e in "$@"; do excl+=(--exclude="${e%%:*}"); done
  (cd "$root" && shopt -s dotglob && tar -cf "$out" "${opts[@]}" --owner=0 --group=0 "${excl[@]}" -- *)
  for e in "$@"; do
    (cd "$root" && tar -rf "$out" "${opts[@]}" --owner="${e##*:}" --group="${e##*:}" --no-recursion -- "${e%%:*}")
  done
}

# umoci writes manifests without the (optional) "mediaType" field; most registries' images carry
# it and clients may read it, so rewrite each manifest with it and repoint index.json.
add_manifest_media_types() {
  local L=$1 i old new digest size
  for ((i = 0; i < $(jq '.manifests | length' "$L/index.json"); i++)); do
    old=$(jq -r ".manifests[$i].digest" "$L/index.json")
    new=$(jq -cj '{schemaVersion, mediaType: "application/vnd.oci.image.manifest.v1+json"} + .' \
          "$L/blobs/sha256/${old#sha256:}")
    digest=$(printf '%s' "$new" | sha256sum | cut -c1-64)
    size=$(printf '%s' "$new" | wc -c)
    printf '%s' "$new" > "$L/blobs/sha256/$digest"
    jq -c ".manifests[$i].digest = \"sha256:$digest\" | .manifests[$i].size = $size" "$L/index.json" > "$L/index.json.tmp"
    mv "$L/index.json.tmp" "$L/index.json"
  done
}

build() {
  local w=$1 r
  # --- runtime-deps rootfs
  r=$w/deps
  mkdir -p "$r/etc" "$r/tmp" "$r/home/app" "$r/usr"
  chmod 1777 "$r/tmp"
  for d in bin sbin lib lib64; do   # keep the host's merged-/usr links (/lib -> usr/lib, ...)
    if [ -L "/$d" ]; then ln -s "$(readlink "/$d")" "$r/$d"; fi
  done
  copy_chain "$r" /lib64/ld-linux-x86-64.so.2
  local lib dir found
  for lib in $LIBS; do
    found=
    for dir in /lib/$MULTIARCH /usr/lib/$MULTIARCH; do
      if [ -e "$dir/$lib" ]; then copy_chain "$r" "$dir/$lib"; found=1; break; fi
    done
    [ -n "$found" ] || die "$lib not found in /lib/$MULTIARCH or /usr/lib/$MULTIARCH"
  done
  printf '%s\n' 'root:x:0:0:root:/root:/sbin/nologin' 'app:x:1654:1654::/home/app:/sbin/nologin' > "$r/etc/passwd"
  printf '%s\n' 'root:x:0:' 'app:x:1654:' > "$r/etc/group"
  make_tar "$r" "$w/deps.tar" home/app:1654

  # --- runtime: /usr/share/dotnet with the muxer, host/ and Microsoft.NETCore.App/<version>
  r=$w/runtime
  mkdir -p "$r/usr/bin" "$r/usr/share/dotnet/shared/Microsoft.NETCore.App"
  cp -a "$DOTNET_DIR/dotnet" "$DOTNET_DIR/host" "$r/usr/share/dotnet/"
  for f in LICENSE.txt ThirdPartyNotices.txt; do
    if [ -f "$DOTNET_DIR/$f" ]; then cp -a "$DOTNET_DIR/$f" "$r/usr/share/dotnet/"; fi
  done
  cp -a "$DOTNET_DIR/shared/Microsoft.NETCore.App/$VERSION" "$r/usr/share/dotnet/shared/Microsoft.NETCore.App/"
  ln -s /usr/share/dotnet/dotnet "$r/usr/bin/dotnet"
  make_tar "$r" "$w/runtime.tar"

  # --- aspnet: Microsoft.AspNetCore.App/<version>
  r=$w/aspnet
  mkdir -p "$r/usr/share/dotnet/shared/Microsoft.AspNetCore.App"
  cp -a "$DOTNET_DIR/shared/Microsoft.AspNetCore.App/$ASPNET_VERSION" "$r/usr/share/dotnet/shared/Microsoft.AspNetCore.App/"
  make_tar "$r" "$w/aspnet.tar"

  # --- OCI layout with three tags
  local L=$w/oci h=(--history.created "$EPOCH")
  umoci init --layout "$L"
  umoci new --image "$L:runtime-deps"
  umoci config --image "$L:runtime-deps" --no-history --created "$EPOCH" --os linux --architecture amd64
  umoci raw add-layer --image "$L:runtime-deps" "${h[@]}" --history.created_by "ADD rootfs.tar /" "$w/deps.tar"
  local deps_env=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin APP_UID=1654
                  ASPNETCORE_HTTP_PORTS=8080 DOTNET_RUNNING_IN_CONTAINER=true DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=true)
  local env_args=() e
  for e in "${deps_env[@]}"; do env_args+=(--config.env "$e"); done
  umoci config --image "$L:runtime-deps" "${h[@]}" --history.created_by "ENV ${deps_env[*]}" "${env_args[@]}"
  umoci raw add-layer --image "$L:runtime-deps" --tag runtime "${h[@]}" --history.created_by "ADD dotnet-runtime.tar /" "$w/runtime.tar"
  umoci config --image "$L:runtime" "${h[@]}" --history.created_by "ENV DOTNET_VERSION=$VERSION" --config.env "DOTNET_VERSION=$VERSION"
  umoci raw add-layer --image "$L:runtime" --tag aspnet "${h[@]}" --history.created_by "ADD aspnetcore-runtime.tar /" "$w/aspnet.tar"
  umoci config --image "$L:aspnet" "${h[@]}" --history.created_by "ENV ASPNET_VERSION=$ASPNET_VERSION" --config.env "ASPNET_VERSION=$ASPNET_VERSION"
  add_manifest_media_types "$L"
  umoci gc --layout "$L"
  echo "$STAMP" > "$L/stamp"
}

# Build under a lock so that parallel callers build once; publish the layout atomically.
mkdir -p "$CACHE_ROOT"
exec 9>"$CACHE.lock"
flock 9
if [ "$(cat "$CACHE/stamp" 2>/dev/null)" != "$STAMP" ]; then
  log "building base images for .NET $VERSION / ASP.NET Core $ASPNET_VERSION from $DOTNET_DIR"
  WORK=$(mktemp -d "$CACHE_ROOT/.build.XXXXXX")
  trap 'rm -rf "$WORK"' EXIT
  build "$WORK"
  rm -rf "$CACHE"
  mv "$WORK/oci" "$CACHE"
  log "cached in $CACHE"
fi
flock -s 9   # keep a shared lock while pushing, so nobody replaces the cache meanwhile

FORMAT=${CONTAINERS_BASE_IMAGE_FORMAT:-oci}
for name in runtime-deps runtime aspnet; do
  log "pushing $REGISTRY/dotnet/$name:10.0"
  skopeo copy -q --format "$FORMAT" --dest-tls-verify=false \
    "oci:$CACHE:$name" "docker://$REGISTRY/dotnet/$name:10.0" >&2
done
log "done: $REGISTRY/dotnet/{runtime-deps,runtime,aspnet}:10.0 (.NET $VERSION)"
