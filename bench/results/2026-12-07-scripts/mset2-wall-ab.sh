#!/bin/bash
# usage: wall-ab.sh ROUNDS name=dir|redis ...   pinned; harness-like: warm-up, SET -P16 1KB 200k, MSET -P16 1KB 200k (measured)
R=$1; shift
cpu() { awk '{print $14+$15}' /proc/$1/stat; }
for r in $(seq $R); do
 for spec in "$@"; do
  name=${spec%%=*}; dir=${spec#*=}
  PORT=$((20000 + RANDOM % 10000)); D=$(mktemp -d /tmp/mset2-srv.XXXX)
  if [ "$dir" = redis ]; then
    taskset -c 0 redis-server --port $PORT --save '' --appendonly no --dir $D >$D/log 2>&1 & SP=$!
  else
    taskset -c 0 $dir/keyline-server --port $PORT --save '' --appendonly no --capacity 0 --dir $D --loglevel warning >$D/log 2>&1 & SP=$!
  fi
  for i in $(seq 200); do redis-cli -p $PORT ping >/dev/null 2>&1 && break; sleep 0.1; done
  B="taskset -c 1 redis-benchmark -p $PORT -c 50 -r 1000000"
  for t in ping_mbulk set get incr mset; do $B -n 50000 -t $t -q >/dev/null 2>&1; done
  redis-cli -p $PORT flushall >/dev/null
  $B -P 16 -d 1024 -n 200000 -t set -q >/dev/null 2>&1
  c0=$(cpu $SP); l=$(cut -d' ' -f1 /proc/loadavg)
  out=$($B -P 16 -d 1024 -n 200000 -t mset --csv 2>/dev/null | tail -1)
  c1=$(cpu $SP)
  echo "round $r $name load=$l cpu_us_per_req=$(( (c1-c0)*10000/200000 )) $out"
  kill $SP; wait $SP 2>/dev/null; rm -rf $D
 done
done
