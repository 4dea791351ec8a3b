#!/usr/bin/env bash
# RDB figures, redis-server and Keyline side by side in one run: SAVE and BGSAVE time and dump.rdb size for N keys
# of mixed types (60% strings, 10% each hashes, lists, sets, sorted sets of 5 elements), then the
# start-up load time of that file (from "DB loaded from disk" in each server's log).
# Usage: bench/rdb-bench.sh [keys]   (default 1000000). Free ports are picked; both servers are stopped on exit.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
N=${1:-1000000}
work=$(mktemp -d /tmp/rdb-bench.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_ready() { # port: until PING answers PONG (not -LOADING)
  for _ in $(seq 1 1200); do
    [ "$(redis-cli -p "$1" ping 2>/dev/null || true)" = "PONG" ] && return 0; sleep 0.1
  done; echo "server on $1 not ready" >&2; exit 1
}
ms() { date +%s%3N; }

# the data, as RESP for redis-cli --pipe
python3 - "$N" > "$work/data.resp" <<'PY'
import sys
n = int(sys.argv[1]); out = sys.stdout.buffer
def cmd(*a):
    out.write(b"*%d\r\n" % len(a))
    for x in a:
        x = x if isinstance(x, bytes) else str(x).encode()
        out.write(b"$%d\r\n%s\r\n" % (len(x), x))
for i in range(n):
    k = "key:%d" % i; t = i % 10
    if t < 6: cmd("SET", k, "value-%d-%s" % (i, "x" * (i % 40)))
    elif t == 6: cmd("HSET", k, "a", i, "b", "bee", "c", "sea", "d", i * 3, "e", "eee")
    elif t == 7: cmd("RPUSH", k, "one", "two", i, "four", "five")
    elif t == 8: cmd("SADD", k, "m1", "m2", "m3", i, "m5")
    else: cmd("ZADD", k, 1, "a", 2.5, "b", i, "c", -1, "d", 100, "e")
PY

run() { # name start-command... : fill, SAVE, restart with the file, report
  local name=$1; shift
  local port dir; port=$(free_port); dir="$work/$name"; mkdir -p "$dir"
  "$@" --port "$port" --dir "$dir" > "$dir/server.log" 2>&1 & pids+=($!); local pid=$!
  wait_ready "$port"
  redis-cli -p "$port" --pipe < "$work/data.resp" > /dev/null
  local keys t0 t1; keys=$(redis-cli -p "$port" dbsize)
  t0=$(ms); redis-cli -p "$port" save > /dev/null; t1=$(ms)
  local save_ms=$((t1 - t0)) size; size=$(stat -c %s "$dir/dump.rdb")
  # BGSAVE of the same data: time until rdb_bgsave_in_progress drops, and what the server says it cost
  # (Redis: the child's copy-on-write pages; Keyline: the snapshot's peak of encoded bytes queued for the disk)
  t0=$(ms); redis-cli -p "$port" bgsave > /dev/null
  until redis-cli -p "$port" info persistence | grep -q '^rdb_bgsave_in_progress:0'; do sleep 0.05; done; t1=$(ms)
  local bg_ms=$((t1 - t0)) bg_status cow
  bg_status=$(redis-cli -p "$port" info persistence | grep '^rdb_last_bgsave_status' | cut -d: -f2 | tr -d '\r')
  cow=$(redis-cli -p "$port" info persistence | grep '^rdb_last_cow_size' | cut -d: -f2 | tr -d '\r')
  redis-cli -p "$port" shutdown nosave > /dev/null 2>&1 || true; wait "$pid" 2>/dev/null || true
  : > "$dir/server.log"
  t0=$(ms)
  "$@" --port "$port" --dir "$dir" > "$dir/server.log" 2>&1 & pids+=($!); pid=$!
  wait_ready "$port"; t1=$(ms)
  local loaded; loaded=$(redis-cli -p "$port" dbsize)
  local logline; logline=$(grep -o 'DB loaded from disk: [0-9.]* seconds' "$dir/server.log" | head -1)
  redis-cli -p "$port" shutdown nosave > /dev/null 2>&1 || true; wait "$pid" 2>/dev/null || true
  printf '| %s | %s | %d | %d (%s, cow %s B) | %s | %s | %d | %s |\n' "$name" "$keys" "$save_ms" "$bg_ms" "$bg_status" "$cow" "$size" "$loaded" "$((t1 - t0))" "${logline#DB loaded from disk: }"
}

echo "keys=$N  $(uptime)"
echo
echo "| server | keys | SAVE ms | BGSAVE ms (status, rdb_last_cow_size) | dump.rdb bytes | keys after restart | start to PONG ms | load (server log) |"
echo "|---|---|---|---|---|---|---|---|"
run redis-server redis-server --save '' --appendonly no
run keyline ${KEYLINE_CMD:-$repo/keyline-server} --save '' --appendonly no --capacity 0
echo
echo "after: $(uptime)"
