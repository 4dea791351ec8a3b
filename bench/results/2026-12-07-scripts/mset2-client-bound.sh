#!/bin/bash
# server CPU and redis-benchmark CPU per request (both from /proc), pinned, for SET -P16 1KB and MSET -P16 1KB after a harness-like warm-up
spec=$1; name=${spec%%=*}; dir=${spec#*=}
PORT=$((20000 + RANDOM % 10000)); D=$(mktemp -d /tmp/mset2-srv.XXXX)
if [ "$dir" = redis ]; then taskset -c 0 redis-server --port $PORT --save '' --appendonly no --dir $D >$D/log 2>&1 & SP=$!
else taskset -c 0 $dir/keyline-server --port $PORT --save '' --appendonly no --capacity 0 --dir $D --loglevel warning >$D/log 2>&1 & SP=$!; fi
for i in $(seq 200); do redis-cli -p $PORT ping >/dev/null 2>&1 && break; sleep 0.1; done
B="taskset -c 1 redis-benchmark -p $PORT -c 50 -r 1000000"
for t in ping_mbulk set get incr mset; do $B -n 50000 -t $t -q >/dev/null 2>&1; done
redis-cli -p $PORT flushall >/dev/null
cpu() { awk '{print $14+$15}' /proc/$1/stat; }
for t in set mset; do
  c0=$(cpu $SP); s0=$(date +%s%N)
  /usr/bin/time -f "%U %S" -o $D/t $B -P 16 -d 1024 -n 200000 -t $t -q >$D/out 2>&1
  c1=$(cpu $SP); s1=$(date +%s%N)
  read u s < $D/t
  wall=$(( (s1-s0)/1000 ))
  echo "$name $t load=$(cut -d' ' -f1 /proc/loadavg) rps=$(tr '\r' '\n' < $D/out | grep -o 'requests per second.*\|[0-9.]* requests per' | tail -1) wall_s=$(echo "scale=2; $wall/1000000" | bc) server_us/req=$(echo "scale=2; ($c1-$c0)*10000/200000" | bc) client_us/req=$(echo "scale=2; ($u+$s)*1000000/200000" | bc) client_busy=$(echo "scale=2; ($u+$s)*1000000/$wall" | bc) server_busy=$(echo "scale=2; ($c1-$c0)*10000/$wall" | bc)"
done
kill $SP; wait $SP 2>/dev/null; rm -rf $D
