#!/usr/bin/env bash
# Starts or stops a throw-away local OCI registry (CNCF Distribution, `docker-registry`) on a free
# loopback port, plain HTTP, deletes enabled, storage and log inside DIR.
# Usage:
#   build/registry.sh start [DIR]   -> prints exactly "localhost:PORT" on stdout (nothing else);
#                                      DIR defaults to a new mktemp dir; if a registry started
#                                      from DIR is still running, it is reused.
#   build/registry.sh stop DIR [--rm]  stops it; --rm also deletes DIR.
# Options of start (each optional; without them the registry is plain HTTP and open, as above):
#   --htpasswd FILE                          Basic auth with bcrypt entries (htpasswd -nbB USER PASS)
#   --token-auth REALM SERVICE ISSUER BUNDLE bearer tokens: RS256 JWTs signed by a certificate in BUNDLE (PEM)
#   --tls CERT KEY                           HTTPS with this certificate and key (PEM); the address stays "localhost:PORT"
# Files in DIR: config.yml, registry.log, registry.pid, registry.addr, data/
set -euo pipefail

log() { echo "registry.sh: $*" >&2; }
die() { log "error: $*"; exit 1; }

# True when DIR/registry.pid names a live docker-registry process (not a recycled pid).
running() {
  local pid
  pid=$(cat "$1/registry.pid" 2>/dev/null) || return 1
  grep -qs docker-registry "/proc/$pid/cmdline"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

htpasswd_file="" token_realm="" token_service="" token_issuer="" token_bundle="" tls_cert="" tls_key=""

write_config() {   # DIR PORT
  write_base_config "$@"
  if [ -n "$tls_cert" ]; then
    cat >> "$1/config.yml" <<YML
  tls:
    certificate: $tls_cert
    key: $tls_key
YML
  fi
  if [ -n "$htpasswd_file" ]; then
    cat >> "$1/config.yml" <<YML
auth:
  htpasswd:
    realm: containers-test
    path: $htpasswd_file
YML
  elif [ -n "$token_realm" ]; then
    cat >> "$1/config.yml" <<YML
auth:
  token:
    realm: $token_realm
    service: $token_service
    issuer: $token_issuer
    rootcertbundle: $token_bundle
YML
  fi
}

write_base_config() {   # DIR PORT
  cat > "$1/config.yml" <<YML
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $1/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$2
YML
}

# An absolute path, so the registry finds the file whatever its working folder.
absolute() { [ -f "$1" ] || die "no such file: $1"; echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }

start() {
  local dir="" port pid i code attempt scheme=http
  while [ $# -gt 0 ]; do
    case "$1" in
      --htpasswd) [ $# -ge 2 ] || die "--htpasswd needs FILE"; htpasswd_file=$(absolute "$2"); shift 2 ;;
      --token-auth) [ $# -ge 5 ] || die "--token-auth needs REALM SERVICE ISSUER BUNDLE"
        token_realm=$2 token_service=$3 token_issuer=$4 token_bundle=$(absolute "$5"); shift 5 ;;
      --tls) [ $# -ge 3 ] || die "--tls needs CERT KEY"; tls_cert=$(absolute "$2") tls_key=$(absolute "$3"); shift 3 ;;
      -*) die "unknown option $1" ;;
      *) [ -z "$dir" ] || die "more than one DIR"; dir=$1; shift ;;
    esac
  done
  [ -z "$htpasswd_file" ] || [ -z "$token_realm" ] || die "--htpasswd and --token-auth exclude each other"
  [ -z "$tls_cert" ] || scheme=https
  if [ -z "$dir" ]; then dir=$(mktemp -d "${TMPDIR:-/tmp}/containers-registry.XXXXXX"); fi
  mkdir -p "$dir/data"
  dir=$(cd "$dir" && pwd)
  if running "$dir" && [ -f "$dir/registry.addr" ]; then
    log "already running (pid $(cat "$dir/registry.pid")) in $dir"
    cat "$dir/registry.addr"
    return
  fi
  # A free port can be taken between picking and binding it: retry then with another one.
  for attempt in 1 2 3; do
    port=$(free_port)
    write_config "$dir" "$port"
    # stdout/stderr go to the log so that "$(registry.sh start)" does not wait for the registry.
    nohup docker-registry serve "$dir/config.yml" >>"$dir/registry.log" 2>&1 </dev/null &
    pid=$!
    echo "$pid" > "$dir/registry.pid"
    for ((i = 0; i < 200; i++)); do   # 200 x 0.1 s = 20 s
      # -k: a test CA is not in the system store. 401 is an answer too: the registry wants credentials.
      code=$(curl -sk -o /dev/null -w '%{http_code}' "$scheme://127.0.0.1:$port/v2/" 2>/dev/null || true)
      if [ "$code" = 200 ] || [ "$code" = 401 ]; then
        echo "localhost:$port" > "$dir/registry.addr"
        log "listening on 127.0.0.1:$port (pid $pid, dir $dir)"
        echo "localhost:$port"
        return
      fi
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    rm -f "$dir/registry.pid"
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      log "error: registry did not answer on $scheme://127.0.0.1:$port/v2/ within 20 s"
      break
    fi
    log "registry exited at start (attempt $attempt, port $port)"
  done
  log "error: could not start docker-registry in $dir; tail of $dir/registry.log:"
  tail -n 20 "$dir/registry.log" >&2 || true
  exit 1
}

stop() {
  local dir=${1:-} rm=${2:-} pid i
  [ -n "$dir" ] || die "usage: $0 stop DIR [--rm]"
  if running "$dir"; then
    pid=$(cat "$dir/registry.pid")
    kill "$pid"
    for ((i = 0; i < 50; i++)); do running "$dir" || break; sleep 0.1; done
    if running "$dir"; then kill -9 "$pid" 2>/dev/null || true; fi
    log "stopped pid $pid"
  else
    log "no registry running for $dir"
  fi
  rm -f "$dir/registry.pid" "$dir/registry.addr"
  if [ "$rm" = "--rm" ]; then rm -rf "$dir"; fi
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  *) die "usage: $0 start [DIR] [--htpasswd FILE | --token-auth REALM SERVICE ISSUER BUNDLE] [--tls CERT KEY] | stop DIR [--rm]" ;;
esac
