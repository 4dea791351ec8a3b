#!/usr/bin/env bash
# Where a write's time goes, Keyline vs redis-server 7 in the same run (Linux, needs perf):
#   - server CPU per SET (utime+stime from /proc/PID/stat) and redis-benchmark's CPU per SET
#     (perf stat task-clock), with context switches per 1,000 SETs on both sides;
#   - with appendfsync always: SETs per fdatasync (perf stat -e syscalls:sys_enter_fdatasync).
# Usage: bench/aof-cost.sh [policy=everysec] [requests=300000] [rounds=2]
# Results used in bench/results/2026-11-26-aof-batch-end.md.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/aof-common.sh"
policy="${1:-everysec}"
n="${2:-300000}"
rounds="${3:-2}"
kport=7421
rport=7422
needs perf redis-server redis-benchmark redis-cli
build_keyline
require_free_ports $kport $rport
work="$(mktemp -d /tmp/keyline-aof-cost.XXXXXX)"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
tick_ns=$(( 1000000000 / $(getconf CLK_TCK) ))

measure() { # label server-pid port
  local label=$1 spid=$2 port=$3 t0 t1 rps
  t0=$(cpu_ticks "$spid")
  rps=$(perf stat -e task-clock,context-switches -o "$work/client.perf" -- \
        redis-benchmark -p "$port" -t set -c 50 -n "$n" -r 1000000 -q 2>/dev/null \
        | tr '\r' '\n' | grep -o 'SET: [0-9.]*' | tail -1 | awk '{print $2}')
  t1=$(cpu_ticks "$spid")
  local ct cs
  ct=$(awk '/task-clock/ {gsub(",","",$1); print $1}' "$work/client.perf")      # ms
  cs=$(awk '/context-switches/ {gsub(",","",$1); print $1}' "$work/client.perf")
  local sctx
  sctx=$(grep -h -E '^(voluntary|nonvoluntary)_ctxt_switches' /proc/"$spid"/task/*/status | awk '{s+=$2} END {print s}')
  printf '%-8s %10s SET/s   server %6d ns/SET   client %6.0f ns/SET   client ctx-switches %5.1f /1k\n' \
    "$label" "$rps" $(( (t1 - t0) * tick_ns / n )) "$(echo "$ct * 1000000 / $n" | bc -l)" "$(echo "$cs * 1000 / $n" | bc -l)"
}

fsyncs() { # server-pid port
  perf stat -e syscalls:sys_enter_fdatasync -p "$1" -o "$work/fs.perf" -- \
    redis-benchmark -p "$2" -t set -c 50 -n 40000 -r 1000000 -q >/dev/null 2>&1
  awk '/fdatasync/ {gsub(",","",$1); printf "         %d fdatasync for 40000 SETs: %.1f SETs per fdatasync\n", $1, 40000 / $1}' "$work/fs.perf"
}

echo "appendfsync $policy, redis-benchmark -t set -c 50 -n $n -r 1000000"
for r in $(seq "$rounds"); do
  mkdir -p "$work/k$r" "$work/r$r"
  "$here/keyline-server" --port $kport --dir "$work/k$r" --capacity 0 --appendonly yes --appendfsync "$policy" >"$work/k$r/log" 2>&1 &
  pid=$!; wait_port $kport
  redis-benchmark -p $kport -t set -c 50 -n 100000 -r 1000000 -q >/dev/null 2>&1   # JIT warm-up
  jpid=$(pgrep -f "keyline-server.jar.*--port $kport" | head -1)
  measure keyline "$jpid" $kport
  [ "$policy" = always ] && fsyncs "$jpid" $kport
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
  redis-server --port $rport --dir "$work/r$r" --appendonly yes --aof-use-rdb-preamble no --save "" --appendfsync "$policy" >"$work/r$r/log" 2>&1 &
  pid=$!; wait_port $rport
  measure redis "$pid" $rport
  [ "$policy" = always ] && fsyncs "$pid" $rport
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
done
