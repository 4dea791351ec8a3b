#!/usr/bin/env bash
# What the ACL check costs on the hot path, side by side with redis-server (one run, loopback):
# SET/GET with redis-benchmark (50 clients, -P 16) as the default user (all permissions: the call path
# pays one test) and as a restricted user (~key:* +get +set +ping +config|get: the full check, key
# patterns included), against redis-server, this tree's Keyline, and optionally a baseline Keyline jar
# without ACL (BASE_JAR=path/to/keyline-server.jar; KEYLINE_JAR overrides this tree's jar). Rounds alternate the servers' order; medians shown.
# Stops every server it starts. Usage: bench/acl-bench.sh [requests] [rounds]  (default 300000, 3)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
N="${1:-300000}"
ROUNDS="${2:-3}"
RP=$((20000 + RANDOM % 10000)); KP=$((RP + 1)); BP=$((RP + 2))
JAR="${KEYLINE_JAR:-$ROOT/target/keyline-server.jar}"
[ -f "$JAR" ] || (cd "$ROOT" && mvn -q -o -DskipTests package)
TMP="$(mktemp -d)"
PIDS=()
redis-server --port "$RP" --save '' --appendonly no --daemonize no --dir "$TMP" >"$TMP/redis.log" 2>&1 &
PIDS+=($!)
java -jar "$JAR" --port "$KP" -c 0 --appendonly no --dir "$TMP" >"$TMP/keyline.log" 2>&1 &
PIDS+=($!)
PORTS=("$RP" "$KP")
if [ -n "${BASE_JAR:-}" ]; then
  mkdir -p "$TMP/base"
  java -jar "$BASE_JAR" --port "$BP" -c 0 --appendonly no --dir "$TMP/base" >"$TMP/base.log" 2>&1 &
  PIDS+=($!)
  PORTS+=("$BP")
fi
cleanup() { kill "${PIDS[@]}" 2>/dev/null || true; wait "${PIDS[@]}" 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT
for p in "${PORTS[@]}"; do
  for _ in $(seq 1 150); do redis-cli -p "$p" ping >/dev/null 2>&1 && break; sleep 0.2; done
done
for p in "$RP" "$KP"; do
  redis-cli -p "$p" ACL SETUSER bench on '>pw' '~key:*' +get +set +ping +config\|get >/dev/null
done
rps() { redis-benchmark -p "$1" -c 50 -n "$N" -P 16 -r 1000000 -q -t "$2" "${@:3}" | tr '\r' '\n' | awk '/requests per second/ {print $(NF-5)}' | tail -1; }
median() { python3 -c "import statistics,sys; print(f'{statistics.median(float(x) for x in sys.argv[1:]):.0f}')" "$@"; }
declare -A R
for round in $(seq 1 "$ROUNDS"); do
  order=("${PORTS[@]}")
  [ $((round % 2)) -eq 0 ] && order=($(printf '%s\n' "${PORTS[@]}" | tac))
  for p in "${order[@]}"; do
    for t in set get; do
      R["$p-default-$t"]+="$(rps "$p" "$t") "
      if [ "$p" != "$BP" ]; then R["$p-user-$t"]+="$(rps "$p" "$t" --user bench -a pw) "; fi
    done
  done
done
echo "| test (50 clients, P16, median of $ROUNDS) | redis-server rps | keyline rps | keyline/redis |$( [ -n "${BASE_JAR:-}" ] && echo " keyline without ACL rps | keyline/without |")"
echo "|---|---|---|---|$( [ -n "${BASE_JAR:-}" ] && echo "---|---|")"
for who in default user; do
  for t in set get; do
    r=$(median ${R["$RP-$who-$t"]}); k=$(median ${R["$KP-$who-$t"]})
    line="| ${t^^} as $( [ $who = default ] && echo 'default (all permissions)' || echo 'restricted user (~key:*)') | $r | $k | $(python3 -c "print(f'{$k/$r:.2f}')") |"
    if [ -n "${BASE_JAR:-}" ]; then
      if [ $who = default ]; then b=$(median ${R["$BP-default-$t"]}); line+=" $b | $(python3 -c "print(f'{$k/$b:.2f}')") |"; else line+=" - | - |"; fi
    fi
    echo "$line"
  done
done
