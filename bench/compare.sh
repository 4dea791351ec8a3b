#!/usr/bin/env bash
# Keyline vs Redis comparison. Thin wrapper around bench/compare.py:
#   - checks the tools, with install hints
#   - raises the open-file limit (1000-client runs)
#   - kills every server the run started if the run dies (trap EXIT), as a backstop to
#     compare.py's own cleanup.
# Usage: bench/compare.sh [--quick] [--standin] [any compare.py option]   (see bench/README.md)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

need() { command -v "$1" >/dev/null 2>&1 || { echo "compare.sh: $1 not found; install with: $2" >&2; exit 2; }; }
need python3 "apt-get install -y python3"
need "${REDIS_SERVER:-redis-server}" "apt-get install -y redis-server"
need "${REDIS_BENCHMARK:-redis-benchmark}" "apt-get install -y redis-tools"
need taskset "apt-get install -y util-linux"
need java "apt-get install -y openjdk-17-jdk-headless"
command -v gnuplot >/dev/null 2>&1 || echo "compare.sh: gnuplot not found, no chart (apt-get install -y gnuplot-nox)" >&2

# 1000 clients need > 1000 descriptors in redis-benchmark and in each server.
hard=$(ulimit -Hn)
if [ "$hard" = unlimited ] || [ "$hard" -ge 65536 ]; then ulimit -Sn 65536 2>/dev/null || true
else ulimit -Sn "$hard" 2>/dev/null || true; fi
if [ "$(ulimit -Sn)" -lt 1100 ]; then
  echo "compare.sh: open-file limit is $(ulimit -Sn) (hard $hard); the 1000-client runs need ~1100. Raise it (e.g. ulimit -Hn 65536 as root)." >&2
fi

export BENCH_PIDFILE
BENCH_PIDFILE="$(mktemp /tmp/keyline-bench-pids.XXXXXX)"
cleanup() {
  # compare.py stops its servers itself; this only catches leftovers (e.g. after kill -9 of python).
  if [ -s "$BENCH_PIDFILE" ]; then
    while read -r pgid; do
      [ -n "$pgid" ] && kill -0 -- "-$pgid" 2>/dev/null && kill -KILL -- "-$pgid" 2>/dev/null || true
    done < "$BENCH_PIDFILE"
  fi
  rm -f "$BENCH_PIDFILE"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

python3 "$HERE/compare.py" "$@"
