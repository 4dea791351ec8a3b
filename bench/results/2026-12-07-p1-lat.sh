#!/bin/bash
# Interleaved pinned -P 1 latency: base (main 23e3581), p1, redis; rounds alternate the order.
# /tmp/p1/base: `git worktree add --detach /tmp/p1/base 23e3581 && (cd /tmp/p1/base && mvn -o -q package -DskipTests)`;
# /work/wt/p1: this branch, built the same way.
cd /work/wt/p1
for r in 1 2 3; do
  if [ $((r % 2)) = 1 ]; then order="/tmp/p1/base /work/wt/p1 redis"; else order="redis /work/wt/p1 /tmp/p1/base"; fi
  for t in $order; do
    echo "### round $r $t load $(cut -d' ' -f1 /proc/loadavg)"
    python3 bench/thread-probe.py --pinned --gap 1 --workload set:1 --workload incr:1 --workload zadd:1 --workload ping_mbulk:1 --workload lpop:1 $t 2>&1 | grep '^=='
  done
done
