#!/usr/bin/env bash
# Two Keyline jars (A, B) at two stripe counts, one at a time, in alternating rounds (the machine is shared:
# compare A and B within a round): redis-benchmark -c 50 -P 16 SET, GET, EVALSHA and EVAL of bench/script-bench.sh's
# script (INCR + EXPIRE), -r 1000000 for SET/GET. Every server runs --appendonly no --save '' after a warm-up
# (N SETs and N EVALSHAs). Usage: bench/evalbatch-bench.sh JAR_A JAR_B [N] [ROUNDS] [BITS...]  (100000, 2, 6 10)
# Env: KEYLINE_EXTRA, more Keyline options (e.g. "--maxmemory 5mb --maxmemory-policy allkeys-lru": SET evicts).
set -euo pipefail
A=$1; B=$2; N=${3:-100000}; ROUNDS=${4:-2}; shift 4 2>/dev/null || shift $#
BITS=("$@"); [ ${#BITS[@]} -gt 0 ] || BITS=(6 10)
BODY="redis.call('INCR', KEYS[1]) return redis.call('EXPIRE', KEYS[1], 100)"
work=$(mktemp -d /tmp/evalbatch-bench.XXXXXX); pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rps() { redis-benchmark -p "$1" -c 50 -P 16 -n "$N" -r 1000000 --csv "${@:2}" 2>/dev/null | tail -n +2 | awk -F'","' '{printf "%.0f ", $(NF-6)}'; }
echo "uptime at start: $(uptime)"
echo "| round | stripes | jar | SET P16 | GET P16 | EVALSHA P16 | EVAL P16 | load avg (1 min) |"
echo "|---|---|---|---:|---:|---:|---:|---|"
for r in $(seq 1 "$ROUNDS"); do
  for b in "${BITS[@]}"; do
    for j in A B; do
      jar=$A; [ "$j" = B ] && jar=$B
      port=$(free_port); cp "$jar" "$work/k.jar"
      java -Dkeyline.stripe-bits="$b" -jar "$work/k.jar" --port "$port" --bind 127.0.0.1 --appendonly no --save '' --capacity 0 \
        --dir "$work" ${KEYLINE_EXTRA:-} >"$work/k.log" 2>&1 &
      pid=$!
      until [ "$(redis-cli -p "$port" ping 2>/dev/null)" = PONG ]; do sleep 0.05; done
      sha=$(redis-cli -p "$port" script load "$BODY")
      rps "$port" -t set >/dev/null; rps "$port" evalsha "$sha" 1 'k:__rand_int__' >/dev/null  # warm-up
      s=$(rps "$port" -t set,get)
      e=$(rps "$port" evalsha "$sha" 1 'k:__rand_int__')
      v=$(rps "$port" eval "$BODY" 1 'k:__rand_int__')
      read -r set get <<<"$s"
      echo "| $r | $((1 << b)) | $j | $set | $get | $e | $v | $(cut -d' ' -f1 /proc/loadavg) |"
      kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
    done
  done
done
echo "uptime at end: $(uptime)"
