#!/usr/bin/env bash
# RESTORE of large listpacks side by side with redis-server (sanitize-dump-payload no / yes) in one run.
# Stops every server it starts. Usage: [SAME_LIMITS=1] bench/restore-sanitize.sh [iterations] [entries]  (default 50, 20000)
set -euo pipefail
N="${1:-50}"
. "$(dirname "${BASH_SOURCE[0]}")/side-by-side.sh"
uptime
python3 "$HERE/restore-sanitize.py" "$RP" "$KP" "$N" "${2:-20000}"
