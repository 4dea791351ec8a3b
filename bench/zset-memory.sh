#!/usr/bin/env bash
# Bytes per element of a 1M-member sorted set: Keyline (live heap after a full GC, and its own
# MEMORY USAGE estimate) next to redis-server (MEMORY USAGE, used_memory and RSS deltas).
# Usage: bench/zset-memory.sh [members]   (needs redis-server, redis-cli, jcmd; builds nothing)
set -euo pipefail
N=${1:-1000000}
RPORT=${RPORT:-7491}
KPORT=${KPORT:-7492}
cd "$(dirname "$0")/.."
TMP=$(mktemp -d)
trap 'kill $RPID $KPID 2>/dev/null || true; rm -rf "$TMP"' EXIT

# ZADD z <score> member:<i> in batches of 1000 pairs, RESP-encoded for redis-cli --pipe.
python3 - "$N" > "$TMP/load.resp" <<'PY'
import sys
n = int(sys.argv[1]); out = sys.stdout.buffer
for start in range(0, n, 1000):
    args = [b"ZADD", b"z"]
    for i in range(start, min(n, start + 1000)):
        args += [str(i).encode(), b"member:%d" % i]
    out.write(b"*%d\r\n" % len(args))
    for a in args:
        out.write(b"$%d\r\n%s\r\n" % (len(a), a))
PY

rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

redis-server --port "$RPORT" --save "" --appendonly no --daemonize no > "$TMP/redis.log" 2>&1 &
RPID=$!
sleep 0.5
r_used0=$(redis-cli -p "$RPORT" info memory | awk -F: '/^used_memory:/ {print $2}' | tr -d '\r')
r_rss0=$(rss_kb $RPID)
redis-cli -p "$RPORT" --pipe < "$TMP/load.resp" > /dev/null
r_usage=$(redis-cli -p "$RPORT" memory usage z samples 0)
r_used1=$(redis-cli -p "$RPORT" info memory | awk -F: '/^used_memory:/ {print $2}' | tr -d '\r')
r_rss1=$(rss_kb $RPID)
r_enc=$(redis-cli -p "$RPORT" object encoding z)

./keyline-server --port "$KPORT" --appendonly no --save "" --dir "$TMP" > "$TMP/keyline.log" 2>&1 &
KPID=$!
for _ in $(seq 1 60); do [ "$(redis-cli -p "$KPORT" ping 2>/dev/null)" = PONG ] && break; sleep 0.5; done
JPID=$(pgrep -P $KPID java || echo $KPID)
# Heap used in KB; ZGC on JDK 25 prints "used 126M", older ones "used 129024K,".
heap_used() { jcmd "$JPID" GC.run > /dev/null; sleep 1; jcmd "$JPID" GC.heap_info | awk '/used/ {for (i=1;i<=NF;i++) if ($i=="used") {v=$(i+1); sub(",","",v); m=1; if (v ~ /M$/) m=1024; if (v ~ /G$/) m=1048576; sub("[KMG]$","",v); print int(v*m); exit}}'; }
k_heap0=$(heap_used)
k_rss0=$(rss_kb $JPID)
redis-cli -p "$KPORT" --pipe < "$TMP/load.resp" > /dev/null
k_heap1=$(heap_used)
k_rss1=$(rss_kb $JPID)
k_usage=$(redis-cli -p "$KPORT" memory usage z samples 0 2>/dev/null || echo n/a)
k_enc=$(redis-cli -p "$KPORT" object encoding z)
k_card=$(redis-cli -p "$KPORT" zcard z)

per() { python3 -c "print(f'{$1/$N:.1f}')"; }
echo "members=$N (member:<i>, score i)   keyline zcard=$k_card"
echo "redis   encoding=$r_enc MEMORY USAGE=$r_usage B ($(per $r_usage) B/elem); used_memory delta=$((r_used1-r_used0)) B ($(per $((r_used1-r_used0))) B/elem); RSS delta=$(( (r_rss1-r_rss0)*1024 )) B ($(per $(( (r_rss1-r_rss0)*1024 ))) B/elem)"
echo "keyline encoding=$k_enc live heap delta after GC=$(( (k_heap1-k_heap0)*1024 )) B ($(per $(( (k_heap1-k_heap0)*1024 ))) B/elem); MEMORY USAGE estimate=$k_usage; RSS delta=$(( (k_rss1-k_rss0)*1024 )) B ($(per $(( (k_rss1-k_rss0)*1024 ))) B/elem)"
