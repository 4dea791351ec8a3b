#!/usr/bin/env bash
# Bytes per hash field in Keyline (live heap after a full GC, via jcmd) next to redis-server
# (MEMORY USAGE, used_memory and RSS deltas) for the same data:
#   small: 100,000 hashes of 10 fields ("f0".."f9" -> "value-NNNNNN"), listpack in both
#   big:   1 hash of 1,000,000 fields ("field:N" -> "value:N"), hashtable in both
#   list:  1 list of 1,000,000 elements ("value:N"), quicklist in both
# Usage: bench/type-memory.sh [keyline-port] [redis-port]   (needs redis-server, redis-cli, jcmd)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KP=${1:-7811}
RP=${2:-7812}
tmp=$(mktemp -d)
cleanup() {
  [ -n "${kpid:-}" ] && kill "$kpid" 2>/dev/null || true
  redis-cli -p "$RP" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

python3 - "$tmp" <<'PY'
import sys
d = sys.argv[1]
def cmd(*a):
    return b"*%d\r\n" % len(a) + b"".join(b"$%d\r\n%s\r\n" % (len(x), x) for x in a)
with open(d + "/small.resp", "wb") as f:
    for h in range(100_000):
        args = [b"HSET", b"small:%d" % h]
        for i in range(10):
            args += [b"f%d" % i, b"value-%06d" % (h * 10 + i)]
        f.write(cmd(*args))
with open(d + "/big.resp", "wb") as f:
    for start in range(0, 1_000_000, 1000):
        args = [b"HSET", b"big"]
        for i in range(start, start + 1000):
            args += [b"field:%d" % i, b"value:%d" % i]
        f.write(cmd(*args))
with open(d + "/list.resp", "wb") as f:
    for start in range(0, 1_000_000, 1000):
        f.write(cmd(b"RPUSH", b"list", *[b"value:%d" % i for i in range(start, start + 1000)]))
PY

heap_used_kb() { # live heap after a full GC
  jcmd "$1" GC.run >/dev/null
  sleep 1
  jcmd "$1" GC.heap_info | awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i+1); sub("K,?", "", v); print v; exit } }'
}
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

# --- Keyline ---
"$here/keyline-server" --port "$KP" --appendonly no --save "" --dir "$tmp" --capacity 1000000 > "$tmp/keyline.log" 2>&1 &
sleep 1
kpid=$(pgrep -f "keyline-server.jar --port $KP" | head -1)
until [ "$(redis-cli -p "$KP" ping 2>/dev/null)" = PONG ]; do sleep 0.5; done  # -LOADING is a reply too
k0=$(heap_used_kb "$kpid"); kr0=$(rss_kb "$kpid")
redis-cli -p "$KP" --pipe < "$tmp/small.resp" >/dev/null
k1=$(heap_used_kb "$kpid"); kr1=$(rss_kb "$kpid")
redis-cli -p "$KP" --pipe < "$tmp/big.resp" >/dev/null
k2=$(heap_used_kb "$kpid"); kr2=$(rss_kb "$kpid")
redis-cli -p "$KP" --pipe < "$tmp/list.resp" >/dev/null
k3=$(heap_used_kb "$kpid"); kr3=$(rss_kb "$kpid")
kmu_list=$(redis-cli -p "$KP" memory usage list)
kenc_small=$(redis-cli -p "$KP" object encoding small:1); kenc_big=$(redis-cli -p "$KP" object encoding big)
kmu_small=$(redis-cli -p "$KP" memory usage small:1); kmu_big=$(redis-cli -p "$KP" memory usage big)
kill "$kpid"; kpid=""

# --- Redis ---
redis-server --port "$RP" --save "" --appendonly no --daemonize yes >/dev/null
until redis-cli -p "$RP" ping >/dev/null 2>&1; do sleep 0.2; done
rpid=$(redis-cli -p "$RP" info server | awk -F: '/process_id/ {print $2}' | tr -d '\r')
um() { redis-cli -p "$RP" info memory | awk -F: '/^used_memory:/ {print $2}' | tr -d '\r'; }
r0=$(um); rr0=$(rss_kb "$rpid")
redis-cli -p "$RP" --pipe < "$tmp/small.resp" >/dev/null
r1=$(um); rr1=$(rss_kb "$rpid")
redis-cli -p "$RP" --pipe < "$tmp/big.resp" >/dev/null
r2=$(um); rr2=$(rss_kb "$rpid")
redis-cli -p "$RP" --pipe < "$tmp/list.resp" >/dev/null
r3=$(um); rr3=$(rss_kb "$rpid")
rmu_list=$(redis-cli -p "$RP" memory usage list samples 0)
renc_small=$(redis-cli -p "$RP" object encoding small:1); renc_big=$(redis-cli -p "$RP" object encoding big)
rmu_small=$(redis-cli -p "$RP" memory usage small:1 samples 0); rmu_big=$(redis-cli -p "$RP" memory usage big samples 0)

awk -v k0="$k0" -v k1="$k1" -v k2="$k2" -v kr0="$kr0" -v kr1="$kr1" -v kr2="$kr2" \
    -v r0="$r0" -v r1="$r1" -v r2="$r2" -v rr0="$rr0" -v rr1="$rr1" -v rr2="$rr2" \
    -v kes="$kenc_small" -v keb="$kenc_big" -v res="$renc_small" -v reb="$renc_big" \
    -v k3="$k3" -v kr3="$kr3" -v r3="$r3" -v rr3="$rr3" -v kml="$kmu_list" -v rml="$rmu_list" -v kms="$kmu_small" -v kmb="$kmu_big" -v rms="$rmu_small" -v rmb="$rmu_big" 'BEGIN {
  printf "%-34s %14s %14s\n", "bytes per field / element", "Keyline", "Redis 7.0"
  printf "%-34s %14s %14s\n", "small hash encoding", kes, res
  printf "%-34s %14.1f %14.1f\n", "small: heap / used_memory delta", (k1-k0)*1024/1e6, (r1-r0)/1e6
  printf "%-34s %14.1f %14.1f\n", "small: RSS delta", (kr1-kr0)*1024/1e6, (rr1-rr0)*1024/1e6
  printf "%-34s %14.1f %14.1f\n", "small: MEMORY USAGE / 10", kms/10, rms/10
  printf "%-34s %14s %14s\n", "big hash encoding", keb, reb
  printf "%-34s %14.1f %14.1f\n", "big: heap / used_memory delta", (k2-k1)*1024/1e6, (r2-r1)/1e6
  printf "%-34s %14.1f %14.1f\n", "big: RSS delta", (kr2-kr1)*1024/1e6, (rr2-rr1)*1024/1e6
  printf "%-34s %14.1f %14.1f\n", "big: MEMORY USAGE / 1e6", kmb/1e6, rmb/1e6
  printf "%-34s %14.1f %14.1f\n", "list: heap / used_memory delta", (k3-k2)*1024/1e6, (r3-r2)/1e6
  printf "%-34s %14.1f %14.1f\n", "list: RSS delta", (kr3-kr2)*1024/1e6, (rr3-rr2)*1024/1e6
  printf "%-34s %14.1f %14.1f\n", "list: MEMORY USAGE / 1e6", kml/1e6, rml/1e6
}'
