#!/usr/bin/env bash
# RESTORE of large listpacks side by side with redis-server (sanitize-dump-payload no / yes) in one run.
# Stops every server it starts. Usage: bench/restore-sanitize.sh [iterations] [entries]  (default 50, 20000)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
N="${1:-50}"
RP=$((20000 + RANDOM % 10000)); KP=$((RP + 1))
JAR="$ROOT/target/keyline-server.jar"
[ -f "$JAR" ] || (cd "$ROOT" && mvn -q -o -DskipTests package)
TMP="$(mktemp -d)"
redis-server --port "$RP" --save '' --appendonly no --daemonize no --dir "$TMP" >"$TMP/redis.log" 2>&1 &
RPID=$!
cp "$JAR" "$TMP/keyline.jar"  # a rebuild meanwhile must not pull the jar from under the server
java -jar "$TMP/keyline.jar" --port "$KP" --appendonly no --dir "$TMP" >"$TMP/keyline.log" 2>&1 &
KPID=$!
cleanup() { kill "$RPID" "$KPID" 2>/dev/null || true; wait "$RPID" "$KPID" 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT
for p in "$RP" "$KP"; do
  for _ in $(seq 1 100); do redis-cli -p "$p" ping >/dev/null 2>&1 && break; sleep 0.2; done
done
uptime
python3 "$HERE/restore-sanitize.py" "$RP" "$KP" "$N" "${2:-20000}"
