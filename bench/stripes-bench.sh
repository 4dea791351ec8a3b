#!/usr/bin/env bash
# Stripe count (keyline.stripe-bits) vs throughput, memory, start-up and snapshot stall, one Keyline per
# stripe-bits value, one run each, in one go (the machine is shared: compare rows of the same run).
# Per value: start-up (launch -> first PONG), heap of the stripe structures (jcmd class histogram:
# ReentrantLock + KeyTable objects), redis-benchmark -c 50 -r 1000000 SET GET INCR MSET LPUSH ZADD at -P 16
# and -P 1, EVAL (a LOCK_ALL command: takes every stripe), MULTI/EXEC (bench/stripes/MultiExecLoad.java:
# keyed = EXEC of SET+INCR, keyless = the same plus a queued PING, which makes EXEC take every stripe),
# then 1M keys (ChurnLoad --preload) and two BGREWRITEAOFs: the second's "longest stripe encode" log line.
# (--aof-use-rdb-preamble no: the RESP base is the one written through the copy-on-write Snapshot.)
# Usage: bench/stripes-bench.sh [bits ...]   (default 6 10 12). Env: N16 (1000000), N1 (200000), JAR,
# PIPELINES ("16 1"; "" skips the throughput runs).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
JAR=${JAR:-$repo/target/keyline-server.jar}
N16=${N16:-1000000}
N1=${N1:-200000}
BITS=("$@"); [ ${#BITS[@]} -gt 0 ] || BITS=(6 10 12)
work=$(mktemp -d /tmp/stripes-bench.XXXXXX)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rb() { # port pipeline n test-or-command...
  local port=$1 p=$2 n=$3; shift 3
  # the rps is the 6th field from the end (a custom command's test name may hold commas)
  redis-benchmark -p "$port" -c 50 -P "$p" -n "$n" -r 1000000 --csv "$@" 2>/dev/null | tail -n +2 \
    | awk -F'","' '{printf "%.0f ", $(NF-6)}'
}
javac -d "$work/cls" "$here/stripes/MultiExecLoad.java"
echo "uptime: $(uptime)"
echo "jar: $JAR ($(cd "$repo" && git rev-parse --short HEAD))"
for b in "${BITS[@]}"; do
  port=$(free_port)
  mkdir -p "$work/d$b"
  t0=$(date +%s%N)
  java -Dkeyline.stripe-bits="$b" -jar "$JAR" --port "$port" --bind 127.0.0.1 --appendonly yes --dir "$work/d$b" \
    --aof-use-rdb-preamble no --capacity 0 >"$work/s$b.log" 2>&1 &
  pid=$!
  until redis-cli -p "$port" ping >/dev/null 2>&1; do sleep 0.01; done
  t1=$(date +%s%N)
  heap=$(jcmd "$pid" GC.class_histogram 2>/dev/null | awk '$4 ~ /^java.util.concurrent.locks.ReentrantLock(\$NonfairSync)?$|^io.keyline.store.KeyTable$/ {n+=$2; b+=$3} END {printf "%d objects, %.1f KB", n, b/1024}')
  echo "## stripe-bits $b ($((1 << b)) stripes)"
  echo "start-up: $(( (t1 - t0) / 1000000 )) ms; stripe locks + KeyTables on the heap (16 dbs): $heap"
  # warm-up (JIT) so the order of the tests matters less
  rb "$port" 16 "$N16" -t set,get >/dev/null
  for p in ${PIPELINES-16 1}; do
    n=$N16; [ "$p" = 1 ] && n=$N1
    echo "P$p SET GET INCR MSET LPUSH ZADD: $(rb "$port" "$p" "$n" -t set,get,incr,mset,lpush,zadd)"
    echo "P$p EVAL(set): $(rb "$port" "$p" "$n" eval "return redis.call('set',KEYS[1],'x')" 1 'k:__rand_int__')"
    echo "P$p EXEC keyed: $(java -cp "$work/cls" MultiExecLoad --port "$port" --pipeline "$p" --seconds 4) tx/s"
    echo "P$p EXEC keyless (every stripe): $(java -cp "$work/cls" MultiExecLoad --port "$port" --pipeline "$p" --seconds 4 --keyless) tx/s"
  done
  redis-cli -p "$port" flushall >/dev/null
  java -Xms1g -Xmn768m -XX:+UseSerialGC "$repo/bench/churn/ChurnLoad.java" --port "$port" --keys 1000000 --value-size 32 \
    --preload --rate 1000 --duration 1 --warmup 0 >/dev/null 2>&1 || true
  echo "keys: $(redis-cli -p "$port" dbsize)"
  for i in 1 2; do
    redis-cli -p "$port" bgrewriteaof >/dev/null
    sleep 0.2
    while [ "$(redis-cli -p "$port" info persistence | tr -d '\r' | sed -n 's/^aof_rewrite_in_progress://p')" != "0" ]; do sleep 0.1; done
    sleep 0.3
  done
  grep "stripe encode" "$work/s$b.log" | sed 's/^.*AOF rewrite/rewrite/' | tail -2 || echo "no rewrite line in the log"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
  echo
done
echo "uptime: $(uptime)"
