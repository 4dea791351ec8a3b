#!/bin/bash
# usage: iostat.sh DIR|redis PORT TEST N -> perf stat of the I/O thread's syscalls during N -P 1 requests
mkdir -p /tmp/h-p1
T=$1; P=$2; TEST=${3:-set}; N=${4:-100000}
if [ "$T" = redis ]; then taskset -c 0 redis-server --port $P --save '' --appendonly no >/dev/null 2>&1 &
else taskset -c 0 $T/keyline-server --port $P --appendonly no --save "" --capacity 0 --bind 127.0.0.1 >/dev/null 2>&1 & fi
SP=$!
for i in $(seq 100); do redis-cli -p $P ping >/dev/null 2>&1 && break; sleep 0.1; done
taskset -c 1 redis-benchmark -p $P -c 50 -n 30000 -r 1000000 -d 3 -P 1 -t $TEST -q >/dev/null
PID=$SP; [ "$T" = redis ] || PID=$(pgrep -f -- "--port $P" | head -1)
if [ "$T" = redis ]; then TID=$PID; else TID=$(grep -l keyline-io /proc/$PID/task/*/comm | head -1 | cut -d/ -f5); fi
E=task-clock,context-switches,cpu-migrations,page-faults
for s in epoll_pwait2 epoll_wait read write recvfrom sendto futex epoll_ctl writev readv eventfd2; do E=$E,syscalls:sys_enter_$s; done
perf stat -e $E -t $TID -o /tmp/h-p1/pstat.$P.txt & ST=$!
sleep 0.3
taskset -c 1 redis-benchmark -p $P -c 50 -n $N -r 1000000 -d 3 -P 1 -t $TEST -q | tr "\r" "\n" | tail -2 | head -1
kill -INT $ST; wait $ST
awk -v n=$N '/^ *[0-9]/ {gsub(",","",$1); printf "  %-36s %10.4f /req\n", $2, $1/n}' /tmp/h-p1/pstat.$P.txt
kill $SP; wait $SP 2>/dev/null
sleep 0.3; kill $PID 2>/dev/null; true
