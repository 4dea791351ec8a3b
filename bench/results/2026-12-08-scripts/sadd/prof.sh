#!/bin/bash
# usage: prof.sh CHECKOUT TAG  -> perf report of the io thread share in set code during 1M SADD -P 16 after 350K
D=/tmp/sadd-prof/$2; rm -rf $D; mkdir -p $D; cd $D
export KEYLINE_JAVA_OPTS="-XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit -XX:+PreserveFramePointer"
export KEYLINE_CDS_DIR=$D/cds
taskset -c 0 $1/keyline-server --port 7411 --appendonly no --capacity 0 --bind 127.0.0.1 --loglevel warning --dir $D > server.log 2>&1 &
SP=$!
for i in $(seq 100); do redis-cli -p 7411 ping 2>/dev/null | grep -q PONG && break; sleep 0.2; done
JP=$SP
taskset -c 1 redis-benchmark -p 7411 -c 50 -n 50000 -r 1000000 -t sadd -q >/dev/null
taskset -c 1 redis-benchmark -p 7411 -c 50 -P 16 -n 300000 -r 1000000 -t sadd -q >/dev/null
perf record -F 1999 -p $JP -o $D/perf.data -- sleep 5 2>/dev/null >/dev/null &
PP=$!
taskset -c 1 redis-benchmark -p 7411 -c 50 -P 16 -n 1000000 -r 1000000 -t sadd --csv | tail -1
wait $PP
redis-cli -p 7411 shutdown nosave >/dev/null; sleep 2
perf report -i $D/perf.data --no-children --sort symbol --stdio 2>/dev/null | grep "%" | head -12 | cut -c1-150
