#!/usr/bin/env bash
# Interruption stage, shaped like WarpParse's case_interrupt.sh (same commands and flags):
# generate lines, parse them while the orders sink keeps failing, expect rescue files.
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

wproj check
wproj init --mode data
wproj data clean
wpgen data clean

echo "1> gen sample data"
wpgen sample -n "$LINE_CNT" -s 10000 --stat 100

echo "2> start wparse work"
wparse batch --stat 10 --print_stat

echo "3> rescue data:"
find ./data/rescue/ -name "*.dat"

wproj data stat

if ! find ./data/rescue/ -type f -name "*.dat" | grep -q .; then
    echo "Expected rescue .dat files, but none were generated"
    exit 1
fi
echo "case_interrupt: OK"
