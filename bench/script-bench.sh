#!/usr/bin/env bash
# Scripting side by side with redis-server (one run, loopback): EVAL and EVALSHA of a small script
# (INCR + EXPIRE) with redis-benchmark, 50 clients, P1 and P16; then the memory of 10,000 cached
# scripts (SCRIPT LOAD of distinct bodies: used_memory, used_memory_scripts_eval, used_memory_vm_eval and RSS deltas). Stops every server it
# starts. Usage: bench/script-bench.sh [requests]  (default 100000)
set -euo pipefail
N="${1:-100000}"
. "$(dirname "${BASH_SOURCE[0]}")/side-by-side.sh"
BODY="redis.call('INCR', KEYS[1]) return redis.call('EXPIRE', KEYS[1], 100)"
SHA=$(redis-cli -p "$RP" script load "$BODY")
redis-cli -p "$KP" script load "$BODY" >/dev/null
echo "load: $(uptime)"
echo
echo "| test | redis-server rps | keyline rps | ratio |"
echo "|---|---|---|---|"
for P in 1 16; do
  for cmd in EVAL EVALSHA; do
    if [ "$cmd" = EVAL ]; then a=("$BODY"); else a=("$SHA"); fi
    r=$(rps "$RP" "$P" "$cmd" "${a[0]}" 1 counter); k=$(rps "$KP" "$P" "$cmd" "${a[0]}" 1 counter)
    echo "| $cmd INCR+EXPIRE (50 clients, P$P) | $r | $k | $(ratio "$r" "$k") |"
  done
done
gen() { python3 -c "
import sys
w=sys.stdout.buffer
for i in range(10000):
    body=b\"return redis.call('GET', KEYS[1]) .. '%d'\" % i
    args=[b'SCRIPT', b'LOAD', body]
    w.write(b'*%d\r\n'%len(args)+b''.join(b'\$%d\r\n%s\r\n'%(len(a),a) for a in args))"; }
rss() { ps -o rss= -p "$1" | tr -d ' '; }
echo
echo "| 10,000 cached scripts | redis-server | keyline |"
echo "|---|---|---|"
for s in "$RP:$RPID" "$KP:$KPID"; do
  p=${s%%:*}; pid=${s##*:}
  redis-cli -p "$p" script flush >/dev/null
  [ "$p" = "$KP" ] && { redis-cli -p "$p" debug gc >/dev/null 2>&1 || true; sleep 1; }
  eval "u0_$p=$(mem "$p" used_memory); r0_$p=$(rss "$pid"); s0_$p=$(mem "$p" used_memory_scripts_eval); v0_$p=$(mem "$p" used_memory_vm_eval)"
  gen | redis-cli -p "$p" --pipe >/dev/null
  [ "$p" = "$KP" ] && { redis-cli -p "$p" debug gc >/dev/null 2>&1 || true; sleep 1; }
  eval "u1_$p=$(mem "$p" used_memory); r1_$p=$(rss "$pid"); s1_$p=$(mem "$p" used_memory_scripts_eval); v1_$p=$(mem "$p" used_memory_vm_eval); n_$p=$(mem "$p" number_of_cached_scripts)"
done
echo "| used_memory delta (bytes/script) | $(( (u1_$RP - u0_$RP) / 10000 )) | $(( (u1_$KP - u0_$KP) / 10000 )) |"
echo "| RSS delta (KiB total) | $(( r1_$RP - r0_$RP )) | $(( r1_$KP - r0_$KP )) |"
echo "| number_of_cached_scripts | $(( n_$RP )) | $(( n_$KP )) |"
echo "| used_memory_scripts_eval delta (bytes/script) | $(( (s1_$RP - s0_$RP) / 10000 )) | $(( (s1_$KP - s0_$KP) / 10000 )) |"
echo "| used_memory_vm_eval delta (bytes/script) | $(( (v1_$RP - v0_$RP) / 10000 )) | $(( (v1_$KP - v0_$KP) / 10000 )) |"
