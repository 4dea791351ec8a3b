#!/usr/bin/env bash
# Bitmaps side by side with redis-server (one run, loopback): SETBIT, GETBIT, BITCOUNT and BITPOS
# throughput with redis-benchmark (50 clients, P1 and P16). SETBIT flips a bit of a 1 Mbit (128 KB)
# bitmap in place (a fixed offset: redis-benchmark's __rand_int__ is zero padded, which Redis
# rejects as a bit offset) and sets bit 7 of random small keys (creating up to 1M one-byte
# bitmaps); the reads scan the big bitmap (BITCOUNT/BITPOS over all 128 KB, and a 1 KB BYTE range). Stops every server it starts. Usage: bench/bitmap-bench.sh [requests] (default 200000)
set -euo pipefail
N="${1:-200000}"
KEYLINE_EXTRA=(-c 1000000)
. "$(dirname "${BASH_SOURCE[0]}")/side-by-side.sh"
for p in "$RP" "$KP"; do
  # the bitmap the reads scan: 1 Mbit, bit 1048575 set so it is full length; the BITPOS 1 target
  # sits near the end so the scan covers the string
  redis-cli -p "$p" setbit bm 1048575 1 >/dev/null
  redis-cli -p "$p" setbit bm 1000000 1 >/dev/null
done
echo "| test | redis-server rps | keyline rps | ratio |"
echo "|---|---|---|---|"
for P in 1 16; do
  for t in "SETBIT bm 524287 1" "SETBIT b:__rand_int__ 7 1" "GETBIT bm 524287" "BITCOUNT bm" "BITCOUNT bm 0 1023 BYTE" "BITPOS bm 1 1024"; do
    r=$(rps "$RP" "$P" $t); k=$(rps "$KP" "$P" $t)
    echo "| $t (50 clients, P$P) | $r | $k | $(ratio "$r" "$k") |"
  done
done
