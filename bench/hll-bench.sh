#!/usr/bin/env bash
# HyperLogLog side by side with redis-server (one run, loopback): PFADD/PFCOUNT throughput with
# redis-benchmark (50 clients, P1 and P16) and the memory of 100,000 HyperLogLogs (10 elements each,
# sparse). Stops every server it starts. Usage: bench/hll-bench.sh [requests]  (default 200000)
set -euo pipefail
N="${1:-200000}"
KEYLINE_EXTRA=(-c 1000000)
. "$(dirname "${BASH_SOURCE[0]}")/side-by-side.sh"
echo "| test | redis-server rps | keyline rps | ratio |"
echo "|---|---|---|---|"
for P in 1 16; do
  for t in "PFADD hll __rand_int__" "PFCOUNT hll"; do
    r=$(rps "$RP" "$P" $t); k=$(rps "$KP" "$P" $t)
    echo "| $t (50 clients, P$P) | $r | $k | $(ratio "$r" "$k") |"
  done
done
gen() { python3 -c "
import sys
w=sys.stdout.buffer
for i in range(100000):
    args=[b'PFADD', b'h:%d'%i]+[b'e%d'%(i*10+j) for j in range(10)]
    w.write(b'*%d\r\n'%len(args)+b''.join(b'\$%d\r\n%s\r\n'%(len(a),a) for a in args))"; }
echo
echo "| 100,000 HLLs (10 elements, sparse) | redis-server | keyline |"
echo "|---|---|---|"
load_both gen
echo "| used_memory delta (bytes per HLL) | $(( (RA - RB) / 100000 )) | $(( (KA - KB) / 100000 )) |"
echo "| STRLEN h:1 | $(redis-cli -p "$RP" strlen h:1) | $(redis-cli -p "$KP" strlen h:1) |"
echo "| MEMORY USAGE h:1 | $(redis-cli -p "$RP" memory usage h:1) | $(redis-cli -p "$KP" memory usage h:1) |"
echo "| RSS after (MB) | $(( $(mem "$RP" used_memory_rss) / 1048576 )) | $(( $(mem "$KP" used_memory_rss) / 1048576 )) |"
