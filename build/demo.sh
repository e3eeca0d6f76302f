#!/usr/bin/env bash
# The main job, end to end, on this machine: install prerequisites, pack Containers.Build, start a local
# registry, push stand-in .NET base images to it, containerize samples/WebApp with
# `dotnet publish -t:PublishContainer`, pull and run the image with podman, and print its HTTP response.
# Usage: build/demo.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
say() { printf '\n==> %s\n' "$*" >&2; }

say "Prerequisites"
"$root/build/prereqs.sh"

# A fresh version each run: NuGet never re-reads a package version it has already cached. Earlier demo versions are
# removed from local-feed/ and from NuGet's global packages folder, so neither grows by a package per run.
version="0.1.0-demo.$(date +%s)"
nuget_packages=${NUGET_PACKAGES:-$HOME/.nuget/packages}
rm -f "$root"/local-feed/Containers.Build.0.1.0-demo.*.nupkg
rm -rf "$nuget_packages"/containers.build/0.1.0-demo.*
say "Packing Containers.Build $version into local-feed/"
dotnet pack "$root/src/Containers.Build" -c Release -o "$root/local-feed" -p:ContainersVersion="$version" -v:quiet -nologo >&2

work=$(mktemp -d "${TMPDIR:-/tmp}/containers-demo.XXXXXX")
container=""
cleanup() {
  [ -n "$container" ] && podman rm -f "$container" >/dev/null 2>&1 || true
  "$root/build/registry.sh" stop "$work/registry" --rm >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

say "Starting a local registry"
registry=$("$root/build/registry.sh" start "$work/registry")
echo "registry: $registry" >&2

say "Making base images (dotnet/runtime-deps, dotnet/runtime, dotnet/aspnet :10.0) in $registry"
"$root/build/base-images.sh" "$registry"

say "dotnet publish -t:PublishContainer (samples/WebApp)"
# ContainerBaseImageRegistry makes the inferred official base image (dotnet/aspnet:10.0) come from our registry.
dotnet publish "$root/samples/WebApp" -c Release -t:PublishContainer -nologo \
  -p:ContainersBuildVersion="$version" \
  -p:ContainerRegistry="$registry" \
  -p:ContainerBaseImageRegistry="$registry" \
  -p:ContainerRepository=samples/webapp \
  -p:ContainerImageTag=demo >&2

image="$registry/samples/webapp:demo"
say "podman pull $image"
podman pull --tls-verify=false "$image" >&2

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
say "podman run -p $port:8080 $image"
container=$(podman run -d -p "127.0.0.1:$port:8080" "$image")
echo "container user: $(podman inspect -f '{{.Config.User}}' "$container")" >&2

for _ in $(seq 1 50); do
  if response=$(curl -fsS "http://127.0.0.1:$port/" 2>/dev/null); then
    say "HTTP response from the container"
    printf '%s\n' "$response"
    exit 0
  fi
  sleep 0.2
done
echo "The web app did not answer; its log:" >&2
podman logs "$container" >&2 || true
exit 1
