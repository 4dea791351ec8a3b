#!/bin/bash
# usage: prof.sh DIR|redis PORT TEST N OUT -> perf record of the server during N -P 1 requests
mkdir -p /tmp/h-p1
T=$1; P=$2; TEST=${3:-set}; N=${4:-100000}; OUT=$5
if [ "$T" = redis ]; then taskset -c 0 redis-server --port $P --save '' --appendonly no >/dev/null 2>&1 &
else KEYLINE_JAVA_OPTS="-XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit -XX:+PreserveFramePointer" taskset -c 0 $T/keyline-server --port $P --appendonly no --save "" --capacity 0 --bind 127.0.0.1 >/dev/null 2>&1 & fi
SP=$!
for i in $(seq 100); do redis-cli -p $P ping >/dev/null 2>&1 && break; sleep 0.1; done
taskset -c 1 redis-benchmark -p $P -c 50 -n ${WARM:-50000} -r 1000000 -d 3 -P 1 -t $TEST -q >/dev/null
PID=$SP; [ "$T" = redis ] || PID=$(pgrep -f -- "--port $P" | head -1)
perf record -F 2999 -g -p $PID -o $OUT 2>/dev/null & ST=$!
sleep 0.3
taskset -c 1 redis-benchmark -p $P -c 50 -n $N -r 1000000 -d 3 -P 1 -t $TEST -q | tr "\r" "\n" | tail -2 | head -1
kill -INT $ST; wait $ST
[ "$T" = redis ] || jcmd $PID Compiler.perfmap >/dev/null 2>&1
kill $SP; wait $SP 2>/dev/null
sleep 0.5; kill $PID 2>/dev/null; true
