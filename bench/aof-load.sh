#!/usr/bin/env bash
# Start-up from a big AOF (issue 15: "10M small keys loaded from an AOF without running out of a 4 GB heap"),
# side by side with redis-server in one run. Writes a Redis 7 appendonly directory (manifest + a base .aof of
# N `SET key:<12 digits> <16-byte value>` commands: 16-byte keys and values), then starts each server on a copy of
# it and waits until it answers PING with PONG (not -LOADING): load time, DBSIZE, used_memory and RSS after load.
# Keyline runs through ./keyline-server with the launcher's defaults plus -Xmx${HEAP} (KEYLINE_JAVA_OPTS adds more).
# Usage: bench/aof-load.sh [keys]   (default 10000000)   Env: HEAP (4g)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
N=${1:-10000000}
HEAP=${HEAP:-4g}
work=$(mktemp -d /tmp/aof-load.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_pong() { # port pid -> seconds until the first PONG
  python3 - "$1" "$2" <<'EOF'
import socket, sys, time, os
port, pid = int(sys.argv[1]), int(sys.argv[2])
start = time.monotonic()
while True:
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit("server exited while loading")
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(b"PING\r\n")
        if s.recv(64).startswith(b"+PONG"):
            break
        s.close()
    except OSError:
        pass
    time.sleep(0.05)
print(f"{time.monotonic() - start:.2f}")
EOF
}
info() { redis-cli -p "$1" info memory | tr -d '\r' | sed -n "s/^$2://p"; }
rss_mb() { awk '/^VmRSS/ {print int($2/1024)}' "/proc/$1/status"; }

mkdir -p "$work/src/appendonlydir"
python3 - "$N" "$work/src/appendonlydir/appendonly.aof.1.base.aof" <<'EOF'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
with open(path, "wb", buffering=1 << 20) as f:
    for i in range(n):
        k = b"key:%012d" % i
        v = b"v%015d" % i
        f.write(b"*3\r\n$3\r\nSET\r\n$16\r\n%s\r\n$16\r\n%s\r\n" % (k, v))
EOF
printf 'file appendonly.aof.1.base.aof seq 1 type b\n' > "$work/src/appendonlydir/appendonly.aof.manifest"
echo "load: $(uptime)"
echo "AOF: $N SETs of 16-byte keys and values, $(du -m "$work/src/appendonlydir" | cut -f1) MB"
echo
echo "| server | load time to first PONG | keys | used_memory | RSS after load |"
echo "|---|---|---|---|---|"
run() { # label command...
  local label=$1; shift
  local port; port=$(free_port)
  rm -rf "$work/run"; cp -r "$work/src" "$work/run"
  "$@" --port "$port" --bind 127.0.0.1 --dir "$work/run" --appendonly yes --save '' >"$work/$label.log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  local secs; secs=$(wait_pong "$port" "$pid") || { echo "| $label | failed: $(tail -3 "$work/$label.log" | tr '\n' ' ') | | | |"; return; }
  echo "| $label | ${secs} s | $(redis-cli -p "$port" dbsize) | $(info "$port" used_memory_human) | $(rss_mb "$pid") MB |"
  redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
run redis-server redis-server --daemonize no
KEYLINE_JAVA_OPTS="-Xmx$HEAP ${KEYLINE_JAVA_OPTS:-}" run "keyline (-Xmx$HEAP)" "$here/../keyline-server" --capacity 0
echo
echo "load: $(uptime)"
