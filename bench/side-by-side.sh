# Sourced by the per-feature benchmarks (hll, bitmap, stream, script, restore-sanitize): starts one
# redis-server and one Keyline on loopback ports RP and KP, both without persistence in a temp dir TMP,
# waits until each answers PONG (not -LOADING), and stops both on exit (Keyline is killed after 10 s if it
# has not exited). Set KEYLINE_EXTRA (an array) before sourcing for extra Keyline options, e.g. (-c 1000000).
# Provides: HERE, ROOT, RP, KP, TMP, mem PORT FIELD (an INFO memory field), rps PORT PIPELINE CMD... (redis-benchmark
# requests per second, 50 clients, N requests, -r 1000000), ratio A B (B/A to two places), and load_both GEN, which
# empties both servers, pipes the output of the function GEN into each and sets RB KB (used_memory before) and RA KA (after).
HERE="$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)"
ROOT="$(dirname "$HERE")"
RP=$((20000 + RANDOM % 10000)); KP=$((RP + 1))
JAR="$ROOT/target/keyline-server.jar"
[ -f "$JAR" ] || (cd "$ROOT" && mvn -q -o -DskipTests package)
TMP="$(mktemp -d)"
redis-server --port "$RP" --bind 127.0.0.1 --save '' --appendonly no --daemonize no --dir "$TMP" >"$TMP/redis.log" 2>&1 &
RPID=$!
cp "$JAR" "$TMP/keyline.jar"  # a rebuild meanwhile must not pull the jar from under the server
java -jar "$TMP/keyline.jar" --port "$KP" --bind 127.0.0.1 --appendonly no --save '' --dir "$TMP" \
  ${KEYLINE_EXTRA[@]+"${KEYLINE_EXTRA[@]}"} >"$TMP/keyline.log" 2>&1 &
KPID=$!
cleanup() {
  kill "$RPID" "$KPID" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$KPID" 2>/dev/null || break; sleep 0.2; done
  kill -9 "$KPID" 2>/dev/null || true
  wait "$RPID" "$KPID" 2>/dev/null || true; rm -rf "$TMP"
}
trap cleanup EXIT
# PONG, not just any reply: a server still loading answers -LOADING.
wait_pong() { for _ in $(seq 1 600); do [ "$(redis-cli -p "$1" ping 2>/dev/null)" = PONG ] && return 0; sleep 0.2; done; echo "port $1 never answered PONG" >&2; exit 1; }
wait_pong "$RP"; wait_pong "$KP"
mem() { redis-cli -p "$1" info memory | tr -d '\r' | awk -F: -v k="$2" '$1==k {print $2}'; }
rps() { redis-benchmark -p "$1" -c 50 -n "$N" -P "$2" -r 1000000 -q "${@:3}" | tr '\r' '\n' | awk '/requests per second/ {print $(NF-5)}' | tail -1; }
ratio() { python3 -c "print(f'{$2/$1:.2f}')"; }
load_both() {
  local p
  for p in "$RP" "$KP"; do redis-cli -p "$p" flushall >/dev/null; done
  sleep 1
  RB=$(mem "$RP" used_memory); KB=$(mem "$KP" used_memory)
  "$1" | redis-cli -p "$RP" --pipe >/dev/null; "$1" | redis-cli -p "$KP" --pipe >/dev/null
  sleep 1
  RA=$(mem "$RP" used_memory); KA=$(mem "$KP" used_memory)
}
