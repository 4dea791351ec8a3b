#!/usr/bin/env bash
# AOF benchmark: Keyline vs redis-server 7 in the same run.
#   1. SET writes/s with appendfsync always and everysec, 50 clients (redis-benchmark -t set -c 50).
#   2. Start-up replay time of the same 1M-key AOF directory (aof-use-rdb-preamble no layout).
# Usage: bench/aof-bench.sh [requests-always] [requests-everysec] [keys]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/aof-common.sh"
n_always="${1:-20000}"
n_everysec="${2:-200000}"
keys="${3:-1000000}"
kport=7411
rport=7412
work="$(mktemp -d /tmp/keyline-aof-bench.XXXXXX)"
kpid=""
rpid=""
cleanup() {
  [ -n "$kpid" ] && kill "$kpid" 2>/dev/null || true
  [ -n "$rpid" ] && kill "$rpid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
needs redis-server redis-benchmark redis-cli
build_keyline
require_free_ports $kport $rport
rps() { redis-benchmark -p "$1" -t set -c 50 -n "$2" -r 1000000 -q 2>/dev/null | tr '\r' '\n' | grep -o 'SET: [0-9.]* requests per second' | tail -1 | awk '{print $2}'; }

start_keyline() { # dir, extra args...
  local d="$1"; shift
  "$here/keyline-server" --port "$kport" --dir "$d" --capacity 0 --appendonly yes "$@" >"$d/keyline.log" 2>&1 &
  kpid=$!
}
start_redis() { # dir, extra args...
  local d="$1"; shift
  redis-server --port "$rport" --dir "$d" --appendonly yes --aof-use-rdb-preamble no --save "" "$@" >"$d/redis.log" 2>&1 &
  rpid=$!
}
stop_both() {
  if [ -n "$kpid" ]; then kill "$kpid"; wait "$kpid" 2>/dev/null || true; kpid=""; fi
  if [ -n "$rpid" ]; then kill "$rpid"; wait "$rpid" 2>/dev/null || true; rpid=""; fi
  return 0
}

echo "== SET throughput, 50 clients (requests/s) =="
printf '%-10s %12s %12s\n' policy keyline redis-7
for policy in always everysec; do
  n=$n_always; [ "$policy" = everysec ] && n=$n_everysec
  mkdir -p "$work/k-$policy" "$work/r-$policy"
  start_keyline "$work/k-$policy" --appendfsync "$policy"; wait_port $kport
  redis-benchmark -p $kport -t set -c 50 -n 20000 -q >/dev/null 2>&1 || true   # JIT warm-up
  k=$(rps $kport "$n")
  stop_both
  start_redis "$work/r-$policy" --appendfsync "$policy"; wait_port $rport
  r=$(rps $rport "$n")
  stop_both
  printf '%-10s %12s %12s\n' "$policy" "$k" "$r"
done

echo
echo "== AOF replay of $keys keys (seconds, from each server's 'DB loaded from append only file' line) =="
src="$work/replay-src/appendonlydir"
mkdir -p "$src"
python3 - "$src/appendonly.aof.1.base.aof" "$keys" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
with open(path, "wb") as f:
    f.write(b"*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n")
    buf = []
    for i in range(n):
        k = b"key:%d" % i
        v = b"value:%d" % i
        buf.append(b"*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n" % (len(k), k, len(v), v))
        if len(buf) == 10000:
            f.write(b"".join(buf)); buf = []
    f.write(b"".join(buf))
PY
printf 'file appendonly.aof.1.base.aof seq 1 type b\n' > "$src/appendonly.aof.manifest"
size=$(du -b "$src/appendonly.aof.1.base.aof" | cut -f1)
cp -r "$work/replay-src" "$work/replay-k"; cp -r "$work/replay-src" "$work/replay-r"
start_keyline "$work/replay-k" --appendfsync everysec; wait_port $kport
kk=$(redis-cli -p $kport dbsize); stop_both
start_redis "$work/replay-r" --appendfsync everysec; wait_port $rport
rk=$(redis-cli -p $rport dbsize); stop_both
kt=$(grep -o 'DB loaded from append only file: [0-9.]* seconds' "$work/replay-k/keyline.log" | awk '{print $7}')
rt=$(grep -o 'DB loaded from append only file: [0-9.]* seconds' "$work/replay-r/redis.log" | awk '{print $7}')
printf 'file: %s bytes\n' "$size"
printf '%-10s %10s s  (%s keys)\n' keyline "$kt" "$kk" redis-7 "$rt" "$rk"
