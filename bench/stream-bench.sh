#!/usr/bin/env bash
# Streams side by side with redis-server (one run, loopback): XADD and XREADGROUP throughput with
# redis-benchmark (50 clients, P1 and P16), and bytes per entry for 1M entries (XADD m * f1 v1 f2 v2)
# as the used_memory delta. XREADGROUP reads entries the XADD runs left (COUNT 1, one group per
# pipeline depth, so every call delivers one new entry and grows the PEL). Both servers get a warm-up
# XADD run on another key first (JIT). Keyline starts with --appendonly no --save '' in an empty dir, as
# redis-server does. Stops every server it starts.
# Usage: bench/stream-bench.sh [requests] [entries]  (defaults 200000 and 1000000)
set -euo pipefail
N="${1:-200000}"
E="${2:-1000000}"
KEYLINE_EXTRA=(-c 1000000)
. "$(dirname "${BASH_SOURCE[0]}")/side-by-side.sh"
# rps, then the server's CPU time per request in us (utime+stime from /proc): on a shared, loaded machine the
# CPU cost is the steadier figure, rps also measures how often the scheduler runs the server.
TCK=$(getconf CLK_TCK)
cpu() { awk '{print $14+$15}' "/proc/$1/stat"; }
rps() {
  local pid c0 r c1
  if [ "$1" = "$RP" ]; then pid=$RPID; else pid=$KPID; fi
  c0=$(cpu "$pid")
  r=$(redis-benchmark -p "$1" -c 50 -n "$N" -P "$2" -q "${@:3}" | tr '\r' '\n' | awk '/requests per second/ {print $(NF-5)}' | tail -1)
  c1=$(cpu "$pid"); echo "$r $(python3 -c "print(f'{($c1-$c0)/$TCK*1e6/$N:.2f}')")"
}
# Warm-up on a throwaway key: the first few hundred thousand commands of a fresh JVM run interpreted
# and then compile (seconds on a busy 2-core machine), which a cold P16 run measured (0.13x) instead of XADD.
# 1M pipelined XADDs: in one fresh-JVM run the first 200k cost 13 us of CPU each, the next 200k 7 us, then ~1.5.
for p in "$RP" "$KP"; do
  redis-benchmark -p "$p" -c 50 -n 1000000 -P 16 -q XADD warm '*' f v >/dev/null
  redis-benchmark -p "$p" -c 50 -n "$N" -P 1 -q XADD warm '*' f v >/dev/null
  redis-cli -p "$p" del warm >/dev/null
done
row() { # name "redis-rps redis-us" "keyline-rps keyline-us"
  set -- "$1" $2 $3
  echo "| $1 | $2 | $4 | $(python3 -c "print(f'{$4/$2:.2f}')") | $3 | $5 |"
}
echo "| test | redis-server rps | keyline rps | ratio | redis-server CPU us/req | keyline CPU us/req |"
echo "|---|---|---|---|---|---|"
for P in 1 16; do
  r=$(rps "$RP" "$P" XADD s '*' f v); k=$(rps "$KP" "$P" XADD s '*' f v)
  row "XADD s * f v (50 clients, P$P)" "$r" "$k"
done
for p in "$RP" "$KP"; do
  redis-cli -p "$p" XGROUP CREATE s g1 0 >/dev/null; redis-cli -p "$p" XGROUP CREATE s g16 0 >/dev/null
done
for P in 1 16; do
  r=$(rps "$RP" "$P" XREADGROUP GROUP "g$P" c COUNT 1 STREAMS s '>')
  k=$(rps "$KP" "$P" XREADGROUP GROUP "g$P" c COUNT 1 STREAMS s '>')
  row "XREADGROUP GROUP g c COUNT 1 STREAMS s > (50 clients, P$P)" "$r" "$k"
done
gen() { python3 -c "
import sys
w=sys.stdout.buffer
cmd=b'*7\r\n\$4\r\nXADD\r\n\$1\r\nm\r\n\$1\r\n*\r\n\$2\r\nf1\r\n\$2\r\nv1\r\n\$2\r\nf2\r\n\$2\r\nv2\r\n'
for i in range($E // 1000):
    w.write(cmd*1000)"; }
echo
echo "| $E entries (XADD m * f1 v1 f2 v2) | redis-server | keyline |"
echo "|---|---|---|"
load_both gen
echo "| used_memory delta (bytes per entry) | $(python3 -c "print(f'{($RA-$RB)/$E:.1f}')") | $(python3 -c "print(f'{($KA-$KB)/$E:.1f}')") |"
echo "| MEMORY USAGE m / entry | $(python3 -c "print(f'{$(redis-cli -p "$RP" memory usage m)/$E:.1f}')") | $(python3 -c "print(f'{$(redis-cli -p "$KP" memory usage m)/$E:.1f}')") |"
echo "| XLEN m | $(redis-cli -p "$RP" xlen m) | $(redis-cli -p "$KP" xlen m) |"
echo "| RSS after (MB) | $(( $(mem "$RP" used_memory_rss) / 1048576 )) | $(( $(mem "$KP" used_memory_rss) / 1048576 )) |"
