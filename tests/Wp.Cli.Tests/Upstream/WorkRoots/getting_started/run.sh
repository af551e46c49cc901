#!/usr/bin/env bash
# The getting-started flow, shaped like WarpParse's getting_started/run.sh (same commands and
# flags): start from nothing, initialise, generate, parse, then count and validate.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

LINE_CNT=${LINE_CNT:-3000}
STAT_SEC=${STAT_SEC:-3}

for cmd in wparse wpgen wproj; do
    if ! command -v "$cmd" >/dev/null; then
        echo "Error: $cmd not found in PATH"
        exit 1
    fi
done

echo "1> init wparse service"
rm -rf connectors conf models topology data || true

echo "1> init conf & data"
wproj init -m full
wproj data clean
wpgen conf clean || true
wpgen conf init
wpgen conf check
wpgen data clean || true

echo "2> gen file data"
wpgen sample -n "$LINE_CNT" --stat "$STAT_SEC"

echo "3> verify inputs"
test -s "./data/in_dat/gen.dat" || { echo "missing ./data/in_dat/gen.dat"; exit 1; }

echo "4> start wparse work"
# -S 1: upstream's stop-check threshold, written by its scripts; wp accepts it.
if ! wparse batch --stat "$STAT_SEC" -S 1 -p -n "$LINE_CNT"; then
    echo "wparse work failed. check ./logs/wparse.log"
    exit 1
fi

echo "5> validate sinks"
wproj data stat
wproj data validate
echo "getting_started: OK"
