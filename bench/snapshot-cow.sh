#!/usr/bin/env bash
# Latency and memory of a BGREWRITEAOF of 1M keys under a fixed-rate SET load (ChurnLoad, 20k ops/s,
# coordinated-omission aware), side by side in one run:
#   redis     redis-server (fork + copy-on-write)
#   <label>   Keyline jars given as LABEL=JAR[:JAVA_OPTS] (e.g. old=/tmp/old.jar new=target/keyline-server.jar
#             new-s8=target/keyline-server.jar:-Dkeyline.stripe-bits=8)
# Per server: fill 1M keys, then two measured runs of the same load: without a rewrite (baseline) and with a
# BGREWRITEAOF started 2 s into the measured window; extra memory = the server's peak RSS
# growth (VmHWM) plus, for Redis, the pages its child copied on write (its own rdb/aof_last_cow_size); the save is
# watched by bench/snapshot-watch.py, one process, no forks (see its header for why).
# Usage: bench/snapshot-cow.sh LABEL=JAR[:OPTS] ...   Env: RATE (20000), KEYS (1000000), DURATION (12),
#   MODE (aof: BGREWRITEAOF with the AOF on; bgsave: BGSAVE of dump.rdb with the AOF off)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RATE=${RATE:-20000}
KEYS=${KEYS:-1000000}
DURATION=${DURATION:-12}
WARMUP=3
MODE=${MODE:-aof}
if [ "$MODE" = bgsave ]; then
  CMD=bgsave; BUSY=rdb_bgsave_in_progress; COW=rdb_last_cow_size; AOF=no; RUN=BGSAVE
else
  CMD=bgrewriteaof; BUSY=aof_rewrite_in_progress; COW=aof_last_cow_size; AOF=yes; RUN=BGREWRITEAOF
fi
work=$(mktemp -d /tmp/snapshot-cow.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; mkdir -p /tmp/snapshot-cow-logs; cp "$work"/*.log "$work/load.err" /tmp/snapshot-cow-logs/ 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 600); do redis-cli -p "$1" ping >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "port $1 never answered" >&2; return 1; }
field() { redis-cli -p "$1" info persistence | tr -d '\r' | sed -n "s/^$2://p"; }
load() { # port json
  java -Xms1g -Xmn768m -XX:+UseSerialGC "$here/churn/ChurnLoad.java" --port "$1" --rate "$RATE" --duration "$DURATION" \
    --warmup "$WARMUP" --keys "$KEYS" --value-size 32 --set-ratio 1 --connections 8 --json "$2" 2>>"$work/load.err" || true # exits non-zero when the rate was missed: still a result
}
summary() { python3 - "$1" <<'EOF'
import json,sys
d=json.load(open(sys.argv[1]))
l=d["latency_ms"]
f=lambda v: "n/a" if v is None else f"{v:.2f}"
print(f'{d["achieved_rate"]:.0f} | {f(l["p50"])} | {f(l["p99"])} | {f(l["p99_9"])} | {f(l["max"])}')
EOF
}

measure() { # label port pid
  local label=$1 port=$2 pid=$3
  java -Xms1g -Xmn768m -XX:+UseSerialGC "$here/churn/ChurnLoad.java" --port "$port" --keys "$KEYS" --value-size 32 \
    --preload --rate 1000 --duration 1 --warmup 0 2>>"$work/load.err" >/dev/null || true
  local keys; keys=$(redis-cli -p "$port" dbsize)
  redis-cli -p "$port" $CMD >/dev/null # a first snapshot (JIT warm-up for Keyline; Redis: same work)
  sleep 0.2
  while [ "$(field "$port" $BUSY)" != "0" ]; do sleep 0.1; done
  sleep 1
  load "$port" "$work/$label-base.json" >/dev/null
  local base; base=$(summary "$work/$label-base.json")
  ( load "$port" "$work/$label-rw.json" >/dev/null ) &
  local lp=$!
  sleep $((WARMUP + 2))
  local watch rss0 peak ms
  watch=$(python3 "$here/snapshot-watch.py" "$port" "$pid" "$CMD" "$BUSY")
  read -r ms rss0 peak <<<"$watch"
  wait "$lp"
  local rw; rw=$(summary "$work/$label-rw.json")
  local cow; cow=$(field "$port" $COW); cow=${cow:-0}
  local extra=$(( (peak - rss0) / 1024 )) # the server's own growth; for Redis add the child's copied pages
  [ "$label" = redis ] && extra=$(( extra + cow / 1048576 ))
  echo "| $label | $keys | baseline | $base | | |"
  echo "| $label | $keys | $RUN | $rw | $ms ms | +$extra MB (RSS $((rss0 / 1024)) → peak $((peak / 1024)) MB; $COW $((cow / 1048576)) MB) |"
}

echo "uptime: $(uptime)"
echo "rate $RATE SET/s, $KEYS keys, value 32 B, 8 connections, measured ${DURATION}s after ${WARMUP}s warm-up"
echo
echo "| server | keys | run | ops/s | p50 ms | p99 ms | p99.9 ms | max ms | snapshot time | memory |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
port=$(free_port)
mkdir -p "$work/redis"
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly $AOF --dir "$work/redis" --daemonize no \
  --logfile "$work/redis.log" &
pids+=($!)
wait_port "$port"
measure redis "$port" "${pids[-1]}"
redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
for spec in "$@"; do
  label=${spec%%=*}; rest=${spec#*=}; jar=${rest%%:*}; opts=""
  [ "$rest" != "$jar" ] && opts=${rest#*:}
  port=$(free_port)
  mkdir -p "$work/$label"
  # shellcheck disable=SC2086
  java -Xms2g -Xmx2g $opts -jar "$jar" --port "$port" --bind 127.0.0.1 --capacity 0 --appendonly $AOF \
    --appendfsync everysec --dir "$work/$label" >"$work/$label.log" 2>&1 &
  pids+=($!)
  wait_port "$port"
  measure "$label" "$port" "${pids[-1]}"
  grep -hE "rewrite finished|saving terminated" "$work/$label.log" | tail -1 | sed 's/^.*\(finished successfully\|terminated with success\):* */  log: /' >&2
  redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || kill "${pids[-1]}" 2>/dev/null || true
  sleep 1
done
echo "uptime: $(uptime)"
