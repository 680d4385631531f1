#!/usr/bin/env bash
# Cold `make demo` on a fresh clone: seconds until the site answers /healthz.
# Usage: bash bench/demo_cold.sh   (uses port 8765; the clone and its virtualenv are removed afterwards)
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
work=$(mktemp -d)
git clone -q "$src" "$work/longcheng"
cd "$work/longcheng"
start=$(date +%s.%N)
make demo PORT=8765 > "$work/demo.log" 2>&1 &
pid=$!
until curl -sf http://127.0.0.1:8765/healthz > /dev/null; do
  kill -0 "$pid" 2>/dev/null || { cat "$work/demo.log"; exit 1; }
  sleep 0.5
done
end=$(date +%s.%N)
printf 'cold make demo: %.1f s until http://127.0.0.1:8765/healthz answered\n' "$(python3 -c "print($end - $start)")"
grep -E "^(  |演示账号)" "$work/demo.log" || true
pkill -f "longcheng demo --reset --host 127.0.0.1 --port 8765" || true
kill "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
rm -rf "$work"
