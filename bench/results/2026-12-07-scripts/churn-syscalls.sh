#!/bin/bash
# Probe of bench/results/2026-12-07-churn2.md: which Keyline threads commit or return memory during the churn load
# (fallocate/madvise/mmap/munmap/ftruncate, perf syscall tracepoints) and how many page faults each thread takes.
# Usage: [OUT=/tmp/ct2] [P=7411] [DUR=30] bench/results/2026-12-07-scripts/churn-syscalls.sh
# Then: perf script -i $OUT/sys.data -F tid,time,event,trace; per-thread faults in $OUT/faults.txt.
set -u
D=${OUT:-/tmp/ct2}; P=${P:-7411}; W=$(cd "$(dirname "$0")/../../.." && pwd)
mkdir -p "$D"
taskset -c 0 $W/keyline-server --port $P --appendonly no --capacity 0 --bind 127.0.0.1 > $D/server.log 2>&1 &
L=$!
for i in $(seq 100); do redis-cli -p $P ping 2>/dev/null | grep -q PONG && break; sleep 0.2; done
PID=$(ss -Hltnp "sport = :$P" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
echo "pid $PID"
taskset -c 1 java -Xms1g -Xmn768m -XX:+UseSerialGC $W/bench/churn/ChurnLoad.java --port $P --keys 2000000 --value-size 1024 --preload --duration 0.01 --warmup 0 --rate 1000 2>&1 | tail -1
sleep 4
jcmd $PID GC.heap_info > $D/heap0.txt; grep -E "VmRSS|RssAnon|RssShmem|RssFile" /proc/$PID/status > $D/rss0.txt
perf record -q -k mono -e 'syscalls:sys_enter_fallocate,syscalls:sys_exit_fallocate,syscalls:sys_enter_madvise,syscalls:sys_exit_madvise,syscalls:sys_enter_mmap,syscalls:sys_exit_mmap,syscalls:sys_enter_munmap,syscalls:sys_exit_munmap,syscalls:sys_enter_ftruncate,syscalls:sys_exit_ftruncate' -p $PID -o $D/sys.data &
PR=$!
perf stat -e page-faults,major-faults --per-thread -p $PID -o $D/faults.txt &
PS=$!
taskset -c 1 java -Xms1g -Xmn768m -XX:+UseSerialGC $W/bench/churn/ChurnLoad.java --port $P --keys 2000000 --value-size 1024 --rate 20000 --duration ${DUR:-30} --warmup 5 --connections 8 --json $D/churn.json 2>&1 | tail -3
kill -INT $PR $PS; wait $PR $PS 2>/dev/null
jcmd $PID GC.heap_info > $D/heap1.txt; grep -E "VmRSS|RssAnon|RssShmem|RssFile" /proc/$PID/status > $D/rss1.txt
redis-cli -p $P shutdown nosave >/dev/null 2>&1; wait $L
