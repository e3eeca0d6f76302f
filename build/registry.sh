#!/usr/bin/env bash
# Starts or stops a throw-away local OCI registry (CNCF Distribution, `docker-registry`) on a free
# loopback port, plain HTTP, deletes enabled, storage and log inside DIR.
# Usage:
#   build/registry.sh start [DIR]   -> prints exactly "localhost:PORT" on stdout (nothing else);
#                                      DIR defaults to a new mktemp dir; if a registry started
#                                      from DIR is still running, it is reused.
#   build/registry.sh stop DIR [--rm]  stops it; --rm also deletes DIR.
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

write_config() {   # DIR PORT
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

start() {
  local dir=${1:-} port pid i code attempt
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
      code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v2/" 2>/dev/null || true)
      if [ "$code" = 200 ]; then
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
      log "error: registry did not answer 200 on http://127.0.0.1:$port/v2/ within 20 s"
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
  *) die "usage: $0 start [DIR] | stop DIR [--rm]" ;;
esac
