#!/bin/bash
# usage: mem.sh CHECKOUT|redis TAG -> SCARD, MEMORY USAGE myset, RSS after 1M SADD -P 16 (-r 1M) into one set
D=/tmp/sadd-prof/mem-$2; rm -rf $D; mkdir -p $D; cd $D
export KEYLINE_CDS_DIR=$D/cds
if [ "$1" = redis ]; then
  taskset -c 0 redis-server --port 7412 --bind 127.0.0.1 --save '' --appendonly no --dir $D > server.log 2>&1 &
else
  taskset -c 0 $1/keyline-server --port 7412 --appendonly no --capacity 0 --bind 127.0.0.1 --loglevel warning --dir $D > server.log 2>&1 &
fi
SP=$!
for i in $(seq 100); do redis-cli -p 7412 ping 2>/dev/null | grep -q PONG && break; sleep 0.2; done
R0=$(grep VmRSS /proc/$SP/status | awk '{print $2}')
taskset -c 1 redis-benchmark -p 7412 -c 50 -P 16 -n 1000000 -r 1000000 -t sadd -q >/dev/null
sleep 3
N=$(redis-cli -p 7412 scard myset); M=$(redis-cli -p 7412 memory usage myset); R1=$(grep VmRSS /proc/$SP/status | awk '{print $2}')
echo "$2: scard $N memory_usage $M ($(( M / N )) B/member) rss_before ${R0}kB rss_after ${R1}kB (delta $(( (R1 - R0) * 1024 / N )) B/member) used_memory $(redis-cli -p 7412 info memory | grep '^used_memory:' | tr -d '\r')"
redis-cli -p 7412 shutdown nosave >/dev/null 2>&1; sleep 1; kill $SP 2>/dev/null; true
