#!/usr/bin/env bash
# GEOADD / GEOSEARCH / GEODIST throughput, Keyline next to redis-server in one run (loopback,
# redis-benchmark custom commands, 50 clients, pipeline 1 and 16). Both servers are preloaded with
# the same 100,000 points spread over a 1 x 1 degree square around Rome (seeded), so a 1 km search
# looks at ~35 members and a 5 km one at ~850.
# Usage: bench/geo-bench.sh [keyline-port] [redis-port] [scale]   (scale multiplies request counts)
# Prints a Markdown table (requests per second) to stdout.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KP=${1:-7821}
RP=${2:-7822}
SCALE=${3:-1}
tmp=$(mktemp -d)
cleanup() {
  [ -n "${kpid:-}" ] && kill "$kpid" 2>/dev/null || true
  redis-cli -p "$RP" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

python3 - "$tmp/points.resp" <<'PY'
import random, sys
rnd = random.Random(42)
def cmd(*a):
    return b"*%d\r\n" % len(a) + b"".join(b"$%d\r\n%s\r\n" % (len(x), x) for x in a)
with open(sys.argv[1], "wb") as f:
    for start in range(0, 100_000, 500):
        args = [b"GEOADD", b"geo"]
        for i in range(start, start + 500):
            args += [b"%.6f" % rnd.uniform(12.0, 13.0), b"%.6f" % rnd.uniform(41.4, 42.4), b"p:%d" % i]
        f.write(cmd(*args))
PY

redis-server --port "$RP" --save '' --appendonly no --daemonize yes >/dev/null
"$here/keyline-server" --port "$KP" --appendonly no --save "" --dir "$tmp" > "$tmp/keyline.log" 2>&1 &
kpid=$!
until [ "$(redis-cli -p "$KP" ping 2>/dev/null)" = PONG ]; do sleep 0.5; done  # -LOADING is a reply too
until redis-cli -p "$RP" ping >/dev/null 2>&1; do sleep 0.2; done
for p in "$RP" "$KP"; do redis-cli -p "$p" --pipe < "$tmp/points.resp" >/dev/null; done
[ "$(redis-cli -p "$KP" zcard geo)" = "$(redis-cli -p "$RP" zcard geo)" ] || { echo "preload differs" >&2; exit 1; }

rps() { # port pipeline requests command...
  local port=$1 pl=$2 n=$3; shift 3
  redis-benchmark -p "$port" -c 50 -P "$pl" -n "$n" -r 1000000 --csv "$@" 2>/dev/null | tail -1 | cut -d, -f2 | tr -d '"'
}

declare -a names cmds counts
names+=("GEOADD (new random point)");           cmds+=("GEOADD add 12.__rand_int__ 41.__rand_int__ m:__rand_int__"); counts+=(30000)
names+=("GEOSEARCH 1 km ASC COUNT 10");          cmds+=("GEOSEARCH geo FROMLONLAT 12.5 41.9 BYRADIUS 1 km ASC COUNT 10"); counts+=(20000)
names+=("GEOSEARCH 5 km WITHDIST (~850 found)"); cmds+=("GEOSEARCH geo FROMLONLAT 12.5 41.9 BYRADIUS 5 km WITHDIST"); counts+=(300)
names+=("GEOSEARCH BYBOX 4x4 km ANY COUNT 5");   cmds+=("GEOSEARCH geo FROMMEMBER p:77 BYBOX 4 4 km COUNT 5 ANY"); counts+=(20000)
names+=("GEODIST");                              cmds+=("GEODIST geo p:1 p:2 km"); counts+=(30000)

echo "| command | pipeline | redis-server rps | Keyline rps | Keyline / Redis |"
echo "|---|---|---|---|---|"
for i in "${!names[@]}"; do
  for pl in 1 16; do
    n=$(( counts[i] * SCALE * (pl == 16 ? 2 : 1) ))
    # shellcheck disable=SC2086
    r=$(rps "$RP" "$pl" "$n" ${cmds[$i]})
    # shellcheck disable=SC2086
    k=$(rps "$KP" "$pl" "$n" ${cmds[$i]})
    ratio=$(python3 -c "print(f'{float(\"$k\")/float(\"$r\"):.2f}')")
    echo "| ${names[$i]} | $pl | $r | $k | $ratio |"
  done
done
