#!/bin/bash
# usage: jitprobe.sh TREE OUTDIR  -- compare.py-like warm-up (-P1 -d3), then -P16 -d1024 workloads with JFR compile events
tree=$1; out=$2; mkdir -p $out
port=$((20000 + RANDOM % 10000))
tmp=$(mktemp -d)
KEYLINE_CDS_DIR=$tmp/cds taskset -c 0 $tree/keyline-server --port $port --appendonly no --save '' --capacity 0 --bind 127.0.0.1 --loglevel warning --dir $tmp >/dev/null 2>&1 &
spid=$!
for i in $(seq 100); do redis-cli -p $port ping >/dev/null 2>&1 && break; sleep 0.1; done
jpid=$(pgrep -P $spid java || echo $spid)
for t in ping_mbulk set get incr mset lpush lpop sadd hset zadd; do taskset -c 1 redis-benchmark -p $port -c 50 -n 50000 -r 1000000 -d 3 -P 1 -t $t -q >/dev/null; done
jcmd $spid JFR.start settings=$(dirname "$0")/get-lpop-compiles.jfc filename=$out/rec.jfr name=p >/dev/null
for t in ${WORKLOADS:-ping_mbulk set get lpush lpop}; do
  sleep 2
  echo "$t $(date -u +%H:%M:%S.%N | cut -c1-12) start" >> $out/times
  taskset -c 1 redis-benchmark -p $port -c 50 -n 200000 -r 1000000 -d 1024 -P 16 -t $t -q --csv | tail -1 >> $out/times
  echo "$t $(date -u +%H:%M:%S.%N | cut -c1-12) end" >> $out/times
done
sleep 1
jcmd $spid JFR.dump name=p filename=$out/rec.jfr >/dev/null
kill $spid; wait $spid 2>/dev/null
rm -rf $tmp
