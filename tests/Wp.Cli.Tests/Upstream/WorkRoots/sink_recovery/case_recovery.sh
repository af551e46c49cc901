#!/usr/bin/env bash
# Recovery stage, shaped like WarpParse's case_recovery.sh (same commands and flags, wpadm
# included): replay the rescue files with wprescue batch, at most MAX_RUNS times, then check.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

for cmd in wpadm wprescue; do
    if ! command -v "$cmd" >/dev/null; then
        echo "Error: $cmd not found in PATH"
        exit 1
    fi
done

MAX_RUNS=5
RUN_CNT=0
RESCUE_DIR="./data/rescue"

echo "scan rescue dir: ${RESCUE_DIR}"
while [ "$RUN_CNT" -lt "$MAX_RUNS" ]; do
  if find "$RESCUE_DIR" -type f -name "*.dat" | grep -q . ; then
    echo "[recovery] run $((RUN_CNT+1))..."
    if ! wprescue batch --stat 100; then
      echo "[recovery] wprescue exited with non-zero status (ignored for loop)"
    fi
    RUN_CNT=$((RUN_CNT+1))
  else
    echo "[recovery] no rescue .dat, stop loop"
    break
  fi
done
echo "[recovery] finished runs=$RUN_CNT (max=$MAX_RUNS)"

echo "rescue data:"
find ./data/rescue/ -name "*.dat"

wpadm data stat
wpadm data validate

if find ./data/rescue/ -type f -name "*.dat" | grep -q .; then
    echo "Expected rescue .dat files to be consumed, but some remain"
    exit 1
fi

if [ ! -s ./data/out_dat/orders.dat ]; then
    echo "Expected recovered output in ./data/out_dat/orders.dat"
    exit 1
fi
echo "case_recovery: OK"
