#!/usr/bin/env bash
# Bitmaps side by side with redis-server (one run, loopback): SETBIT, GETBIT, BITCOUNT and BITPOS
# throughput with redis-benchmark (50 clients, P1 and P16). SETBIT flips a bit of a 1 Mbit (128 KB)
# bitmap in place (a fixed offset: redis-benchmark's __rand_int__ is zero padded, which Redis
# rejects as a bit offset) and sets bit 7 of random small keys (creating up to 1M one-byte
# bitmaps); the reads scan the big bitmap (BITCOUNT/BITPOS over all 128 KB, and a 1 KB BYTE range). Stops every server it starts. Usage: bench/bitmap-bench.sh [requests] (default 200000)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
N="${1:-200000}"
RP=$((20000 + RANDOM % 10000)); KP=$((RP + 1))
JAR="$ROOT/target/keyline-server.jar"
[ -f "$JAR" ] || (cd "$ROOT" && mvn -q -o -DskipTests package)
TMP="$(mktemp -d)"
redis-server --port "$RP" --save '' --appendonly no --daemonize no --dir "$TMP" >"$TMP/redis.log" 2>&1 &
RPID=$!
java -jar "$JAR" --port "$KP" -c 1000000 --appendonly no --save '' --dir "$TMP" >"$TMP/keyline.log" 2>&1 &
KPID=$!
cleanup() { kill "$RPID" "$KPID" 2>/dev/null || true; wait "$RPID" "$KPID" 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT
# Waits for PONG, not just any reply: a server still replaying an AOF/RDB answers -LOADING.
wait_pong() { for _ in $(seq 1 600); do [ "$(redis-cli -p "$1" ping 2>/dev/null)" = PONG ] && return 0; sleep 0.2; done; echo "port $1 never answered PONG" >&2; exit 1; }
for p in "$RP" "$KP"; do
  wait_pong "$p"
  # the bitmap the reads scan: 1 Mbit, bit 1048575 set so it is full length; the BITPOS 1 target
  # sits near the end so the scan covers the string
  redis-cli -p "$p" setbit bm 1048575 1 >/dev/null
  redis-cli -p "$p" setbit bm 1000000 1 >/dev/null
done
rps() { redis-benchmark -p "$1" -c 50 -n "$N" -P "$2" -r 1000000 -q "${@:3}" | tr '\r' '\n' | awk '/requests per second/ {print $(NF-5)}' | tail -1; }
echo "| test | redis-server rps | keyline rps | ratio |"
echo "|---|---|---|---|"
for P in 1 16; do
  for t in "SETBIT bm 524287 1" "SETBIT b:__rand_int__ 7 1" "GETBIT bm 524287" "BITCOUNT bm" "BITCOUNT bm 0 1023 BYTE" "BITPOS bm 1 1024"; do
    r=$(rps "$RP" "$P" $t); k=$(rps "$KP" "$P" $t)
    echo "| $t (50 clients, P$P) | $r | $k | $(python3 -c "print(f'{$k/$r:.2f}')") |"
  done
done
