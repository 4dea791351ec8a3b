# Shared by bench/aof-bench.sh and bench/aof-cost.sh (sourced, not run).
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# needs TOOL... : exits with a hint when a tool is missing.
needs() {
  local t
  for t in "$@"; do command -v "$t" >/dev/null || { echo "needs $t (apt-get install -y redis-server redis-tools linux-perf)" >&2; exit 1; }; done
}

build_keyline() { [ -f "$here/target/keyline-server.jar" ] || (cd "$here" && mvn -q -B -o -DskipTests package); }

# A server left running on a port would answer wait_port and be measured instead of the new one.
require_free_ports() {
  local p
  for p in "$@"; do
    ! redis-cli -p "$p" ping >/dev/null 2>&1 || { echo "port $p is already in use (a server left over from an earlier run?); stop it first" >&2; exit 1; }
  done
}

wait_port() { for _ in $(seq 1200); do redis-cli -p "$1" ping 2>/dev/null | grep -q PONG && return 0; sleep 0.1; done; echo "port $1 not ready" >&2; return 1; }
