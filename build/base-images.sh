#!/usr/bin/env bash
# Builds stand-ins for the official .NET base images from THIS machine's .NET install and pushes
# them over plain HTTP to REGISTRY as:
#   REGISTRY/dotnet/runtime-deps:10.0   loader + glibc/libstdc++/zlib, root+app(1654) users, /tmp 1777;
#                                       an OCI image index of linux/amd64 and linux/arm64/v8, like the
#                                       official multi-arch tag (the arm64 image is made from Debian's
#                                       arm64 packages, so that self-contained linux-arm64 apps run on it)
#   REGISTRY/dotnet/runtime:10.0        + /usr/share/dotnet (dotnet, host/, Microsoft.NETCore.App)
#   REGISTRY/dotnet/aspnet:10.0         + Microsoft.AspNetCore.App
# runtime and aspnet are single-platform (linux/amd64) OCI manifests: there is no arm64 dotnet host
# here. Env as in the official 10.0 images (no USER, no Entrypoint/Cmd). Images are built once with
# umoci into an OCI layout cache at
#   ${CONTAINERS_FIXTURE_CACHE:-$HOME/.cache/containers-fixtures}/base-images-<runtime version>/
# (rebuilt when this script changes); later calls only push from that cache. The arm64 .debs are
# fetched once (dpkg --add-architecture arm64, apt-get update/download; needs root or sudo) into
#   ${CONTAINERS_FIXTURE_CACHE:-...}/debian-arm64/      (.debs and root/ unpacked; delete to refetch)
# See docs/fixtures.md.
# Usage: build/base-images.sh REGISTRY        e.g. build/base-images.sh localhost:5000
# Env:   CONTAINERS_BASE_IMAGE_FORMAT=oci|v2s2  manifest format to push (default oci)
set -euo pipefail
umask 022

log() { echo "base-images: $*" >&2; }
die() { log "error: $*"; exit 1; }

REGISTRY=${1:-}
[ -n "$REGISTRY" ] || die "usage: $0 REGISTRY   (e.g. localhost:5000)"
[ "$(uname -m)" = x86_64 ] || die "only x86_64 hosts are supported"
for c in dotnet umoci skopeo jq tar flock sha256sum dpkg dpkg-deb; do
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
DEBS=$CACHE_ROOT/debian-arm64
# libssl3 is not copied into any image (LIBS decides that): with it, $DEBS/root is a sysroot in which tests run arm64
# .NET programs under qemu-aarch64-static (hashing needs OpenSSL).
ARM64_PKGS="libc6 libstdc++6 libgcc-s1 zlib1g libssl3"
LIBS="libc.so.6 libdl.so.2 libgcc_s.so.1 libm.so.6 libpthread.so.0 librt.so.1 libstdc++.so.6 libz.so.1"
EPOCH=1970-01-01T00:00:00Z

# Copies path $2 of the file system rooted at $3 (default: the host, "") into rootfs $1 at the same
# path, following its symlink chain: each link is kept as a link and the real file is copied. Parent
# folders are canonicalised (merged /usr). Absolute link targets are taken inside $3.
copy_chain() {
  local root=$1 p=$2 src=${3:-} dir t
  while :; do
    dir=$(readlink -f "$src$(dirname "$p")")
    case $dir in "$src"/*|"$src") dir=${dir#"$src"} ;; *) die "$p leaves $src" ;; esac
    p=${dir%/}/$(basename "$p")
    [ -e "$src$p" ] || [ -L "$src$p" ] || die "missing $src$p"
    mkdir -p "$root$dir"
    cp -P --preserve=mode "$src$p" "$root$p"
    [ -L "$src$p" ] || break
    t=$(readlink "$src$p")
    case $t in /*) p=$t ;; *) p=$dir/$t ;; esac
  done
}

# runtime-deps rootfs $1: loader $2, $LIBS from the multiarch folders $3, users, /tmp, /home/app,
# all taken from the file system rooted at $4 (default: the host), with its merged-/usr links.
deps_rootfs() {
  local r=$1 loader=$2 multiarch=$3 src=${4:-} d lib dir found
  if [ -n "$src" ]; then src=$(readlink -f "$src"); fi
  mkdir -p "$r/etc" "$r/tmp" "$r/home/app" "$r/usr"
  chmod 1777 "$r/tmp"
  for d in bin sbin lib lib64; do   # keep the merged-/usr links (/lib -> usr/lib, ...)
    if [ -L "$src/$d" ]; then ln -s "$(readlink "$src/$d")" "$r/$d"; fi
  done
  copy_chain "$r" "$loader" "$src"
  for lib in $LIBS; do
    found=
    for dir in /lib/$multiarch /usr/lib/$multiarch; do
      if [ -e "$src$dir/$lib" ]; then copy_chain "$r" "$dir/$lib" "$src"; found=1; break; fi
    done
    [ -n "$found" ] || die "$lib not found in $src/lib/$multiarch or $src/usr/lib/$multiarch"
  done
  printf '%s\n' 'root:x:0:0:root:/root:/sbin/nologin' 'app:x:1654:1654::/home/app:/sbin/nologin' > "$r/etc/passwd"
  printf '%s\n' 'root:x:0:' 'app:x:1654:' > "$r/etc/group"
}

# Fetches Debian's arm64 $ARM64_PKGS into $DEBS once (kept across rebuilds) and unpacks them into
# $DEBS/root, merged-/usr like the host (/lib -> usr/lib, ...). $1 is a scratch folder.
fetch_arm64_debs() {
  local tmp=$1/debs sudo="" updated="" p pkgs=() opts=(-q)
  # The marker holds the package list: a different list fetches again.
  if [ -f "$DEBS/complete" ] && [ "$(cat "$DEBS/complete")" != "$ARM64_PKGS" ]; then rm -rf "$DEBS"; fi
  if [ -f "$DEBS/complete" ] && [ -f "$DEBS/root/.complete" ]; then return; fi
  if [ -f "$DEBS/complete" ]; then   # fetched, not unpacked yet: no apt needed
    mkdir -p "$tmp"; cp -p "$DEBS"/*.deb "$tmp/"
    unpack_arm64_debs "$tmp"
    return
  fi
  command -v apt-get >/dev/null || die "apt-get not found: the arm64 runtime-deps image needs Debian's arm64 packages"
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else opts+=(-o APT::Sandbox::User=root); fi
  for p in $ARM64_PKGS; do pkgs+=("$p:arm64"); done
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    log "dpkg --add-architecture arm64 (to download Debian's arm64 libraries)"
    $sudo dpkg --add-architecture arm64
    $sudo apt-get update -qq >&2
    updated=1
  fi
  mkdir -p "$tmp"
  log "downloading ${pkgs[*]}"
  if ! (cd "$tmp" && apt-get "${opts[@]}" download "${pkgs[@]}" >&2); then
    [ -z "$updated" ] || die "apt-get download ${pkgs[*]} failed"
    log "retrying after apt-get update"
    $sudo apt-get update -qq >&2
    (cd "$tmp" && apt-get "${opts[@]}" download "${pkgs[@]}" >&2) || die "apt-get download ${pkgs[*]} failed"
  fi
  unpack_arm64_debs "$tmp"
}

# Unpacks the .debs in folder $1 into $1/root, merges /usr, and moves $1 to $DEBS.
unpack_arm64_debs() {
  local tmp=$1 s=$1/root deb d
  mkdir -p "$s/usr"
  for deb in "$tmp"/*.deb; do dpkg-deb -x "$deb" "$s"; done
  for d in bin sbin lib; do
    if [ -d "$s/$d" ] && [ ! -L "$s/$d" ]; then
      mkdir -p "$s/usr/$d"; cp -a "$s/$d/." "$s/usr/$d/"; rm -rf "${s:?}/$d"
    fi
    ln -sfn "usr/$d" "$s/$d"
  done
  printf '%s' "$ARM64_PKGS" > "$tmp/complete"
  touch "$s/.complete"
  rm -rf "$DEBS"
  mv "$tmp" "$DEBS"
}

# Rewrites the config of tag $2 in layout $1 with "variant": $3 (umoci has no option for it) and
# repoints the manifest and index.json.
set_variant() {
  local L=$1 tag=$2 variant=$3 m cfg digest size
  m=$(jq -r --arg t "$tag" '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $t) | .digest' "$L/index.json")
  cfg=$(jq -r '.config.digest' "$L/blobs/sha256/${m#sha256:}")
  jq -cj --arg v "$variant" '. + {variant: $v}' "$L/blobs/sha256/${cfg#sha256:}" > "$L/blob.tmp"
  digest=$(sha256sum < "$L/blob.tmp" | cut -c1-64); size=$(wc -c < "$L/blob.tmp")
  mv "$L/blob.tmp" "$L/blobs/sha256/$digest"
  jq -cj ".config.digest = \"sha256:$digest\" | .config.size = $size" "$L/blobs/sha256/${m#sha256:}" > "$L/blob.tmp"
  digest=$(sha256sum < "$L/blob.tmp" | cut -c1-64); size=$(wc -c < "$L/blob.tmp")
  mv "$L/blob.tmp" "$L/blobs/sha256/$digest"
  jq -c --arg t "$tag" "(.manifests[] | select(.annotations[\"org.opencontainers.image.ref.name\"] == \$t)) |= (.digest = \"sha256:$digest\" | .size = $size)" \
    "$L/index.json" > "$L/index.json.tmp"
  mv "$L/index.json.tmp" "$L/index.json"
}

# Replaces tags $2 (amd64) and $3 (arm64/v8) of layout $1 by one OCI image index tagged $2.
make_index() {
  local L=$1 amd=$2 arm=$3 index digest size
  index=$(jq -cj --arg amd "$amd" --arg arm "$arm" '
    def desc($t): .manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $t)
                  | {mediaType, digest, size};
    {schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json",
     manifests: [(desc($amd) + {platform: {architecture: "amd64", os: "linux"}}),
                 (desc($arm) + {platform: {architecture: "arm64", os: "linux", variant: "v8"}})]}' "$L/index.json")
  digest=$(printf '%s' "$index" | sha256sum | cut -c1-64)
  size=$(printf '%s' "$index" | wc -c)
  printf '%s' "$index" > "$L/blobs/sha256/$digest"
  jq -c --arg amd "$amd" --arg arm "$arm" --arg d "sha256:$digest" --argjson s "$size" '
    .manifests |= (map(select(.annotations["org.opencontainers.image.ref.name"] != $arm))
                   | map(if .annotations["org.opencontainers.image.ref.name"] == $amd
                         then .mediaType = "application/vnd.oci.image.index.v1+json" | .digest = $d | .size = $s
                         else . end))' "$L/index.json" > "$L/index.json.tmp"
  mv "$L/index.json.tmp" "$L/index.json"
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
  # --- runtime-deps rootfs (host's loader and libraries)
  r=$w/deps
  deps_rootfs "$r" /lib64/ld-linux-x86-64.so.2 x86_64-linux-gnu
  make_tar "$r" "$w/deps.tar" home/app:1654

  # --- runtime-deps rootfs for arm64: the same from Debian's arm64 packages
  fetch_arm64_debs "$w"
  r=$w/deps-arm64
  deps_rootfs "$r" /lib/ld-linux-aarch64.so.1 aarch64-linux-gnu "$DEBS/root"
  make_tar "$r" "$w/deps-arm64.tar" home/app:1654

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

  # --- OCI layout with three tags (runtime-deps built as two, then joined in an index)
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
  local debs
  debs=$(cd "$DEBS" && printf '%s ' *.deb)
  umoci new --image "$L:runtime-deps-arm64"
  umoci config --image "$L:runtime-deps-arm64" --no-history --created "$EPOCH" --os linux --architecture arm64
  umoci raw add-layer --image "$L:runtime-deps-arm64" "${h[@]}" --history.created_by "ADD rootfs.tar / # from ${debs% }" "$w/deps-arm64.tar"
  umoci config --image "$L:runtime-deps-arm64" "${h[@]}" --history.created_by "ENV ${deps_env[*]}" "${env_args[@]}"
  set_variant "$L" runtime-deps-arm64 v8
  umoci raw add-layer --image "$L:runtime-deps" --tag runtime "${h[@]}" --history.created_by "ADD dotnet-runtime.tar /" "$w/runtime.tar"
  umoci config --image "$L:runtime" "${h[@]}" --history.created_by "ENV DOTNET_VERSION=$VERSION" --config.env "DOTNET_VERSION=$VERSION"
  umoci raw add-layer --image "$L:runtime" --tag aspnet "${h[@]}" --history.created_by "ADD aspnetcore-runtime.tar /" "$w/aspnet.tar"
  umoci config --image "$L:aspnet" "${h[@]}" --history.created_by "ENV ASPNET_VERSION=$ASPNET_VERSION" --config.env "ASPNET_VERSION=$ASPNET_VERSION"
  add_manifest_media_types "$L"
  umoci gc --layout "$L"
  make_index "$L" runtime-deps runtime-deps-arm64   # after gc: umoci did not write the index, so gc comes first
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
  all=()
  if [ "$name" = runtime-deps ]; then all=(--all); fi   # the index and both platforms' images
  skopeo copy -q "${all[@]}" --format "$FORMAT" --dest-tls-verify=false \
    "oci:$CACHE:$name" "docker://$REGISTRY/dotnet/$name:10.0" >&2
done
log "done: $REGISTRY/dotnet/{runtime-deps,runtime,aspnet}:10.0 (.NET $VERSION)"
