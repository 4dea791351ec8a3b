# Sourced by the per-feature benchmarks (hll, bitmap, stream, script, restore-sanitize): starts one
# redis-server and one Keyline on loopback ports RP and KP, both without persistence in a temp dir TMP,
# waits until each answers PONG (not -LOADING), and stops both on exit (Keyline is killed after 10 s if it
# has not exited). Set KEYLINE_EXTRA (an array) before sourcing for extra Keyline options, e.g. (-c 1000000).
# Provides: HERE, ROOT, RP, KP, TMP, mem PORT FIELD (an INFO memory field).
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
