#!/usr/bin/env bash
# Interruption phase: generate data and run wparse while the benchmark sink's
# test_rescue backend goes up and down, so part of its records are diverted to rescue files.
# Env: LINE_CNT (default 10000), STAT_SEC (default 3).
set -euo pipefail
. "$(dirname "$0")/env.sh"

step "check the project"
wproj check

step "clean outputs (rescue files are kept: they are undelivered data)"
wproj data clean
if [ "$(rescue_count .dat)" -gt 0 ]; then
  echo "note: $(rescue_count .dat) rescue file(s) from an earlier run remain; case_recovery.sh will replay them too" >&2
fi

step "generate $LINE_CNT sample lines"
wpgen sample -n "$LINE_CNT"

step "parse them (speed_limit spans several test_rescue phases)"
wparse batch --stat "$STAT_SEC" -p

step "rescue files"
ls -l data/rescue/ || true

step "line counts"
wproj stat file

[ "$(rescue_count .dat.lock)" -eq 0 ] || fail "open .dat.lock files remain after wparse exited"
ls data/rescue/benchmark_file_sink-*.dat >/dev/null 2>&1 || fail "no benchmark_file_sink-*.dat rescue file was written"
echo
echo "case_interrupt: OK — $(rescue_count .dat) sealed rescue file(s) wait for recovery"
