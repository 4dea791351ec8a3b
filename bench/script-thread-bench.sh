#!/usr/bin/env bash
# EVALSHA of a small script (INCR + EXPIRE), redis-benchmark 50 clients, P1 and P16, side by side in one
# run: redis-server, Keyline built from OLD_JAR (scripts inline on the event loop) and Keyline built from
# NEW_JAR (scripts on the script thread).
# Usage: bench/script-thread-bench.sh OLD_JAR NEW_JAR [requests-P1] [requests-P16] [rounds]
set -euo pipefail
old_jar=$1; new_jar=$2; n1=${3:-100000}; n16=${4:-400000}; rounds=${5:-2}
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
java_bin=${KEYLINE_JAVA:-java}
script="redis.call('INCR', KEYS[1]) redis.call('EXPIRE', KEYS[1], 100) return 1"
rport=$((20000 + RANDOM % 5000)); oport=$((rport + 1)); nport=$((rport + 2))
pids=()
cd "$(mktemp -d)"
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
redis-server --port $rport --save '' --appendonly no --bind 127.0.0.1 >/dev/null & pids+=($!)
"$java_bin" -jar "$old_jar" --port $oport --bind 127.0.0.1 --appendonly no --capacity 100000000 >/dev/null 2>&1 & pids+=($!)
"$java_bin" -jar "$new_jar" --port $nport --bind 127.0.0.1 --appendonly no --capacity 100000000 >/dev/null 2>&1 & pids+=($!)
for p in $rport $oport $nport; do
  for _ in $(seq 1 100); do redis-cli -p $p ping >/dev/null 2>&1 && break; sleep 0.2; done
done
declare -A sha
for p in $rport $oport $nport; do sha[$p]=$(redis-cli -p $p script load "$script"); done
echo "uptime: $(uptime)"
# warm-up of the JITs
for p in $oport $nport; do redis-benchmark -p $p -c 50 -n 50000 -P 16 -q evalsha "${sha[$p]}" 1 k:__rand_int__ >/dev/null; done
for r in $(seq 1 "$rounds"); do
  for P in 1 16; do
    n=$([ $P = 1 ] && echo $n1 || echo $n16)
    for name in redis:$rport old:$oport new:$nport; do
      p=${name#*:}
      rps=$(redis-benchmark -p $p -c 50 -n $n -P $P -r 10000 --csv evalsha "${sha[$p]}" 1 k:__rand_int__ | tail -1 | cut -d, -f2 | tr -d '"')
      echo "round=$r P=$P ${name%%:*} rps=$rps"
    done
  done
done
echo "uptime: $(uptime)"
