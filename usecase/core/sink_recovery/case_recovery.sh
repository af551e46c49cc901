#!/usr/bin/env bash
# Recovery phase: run wprescue daemon until the rescue folder is empty, stop it with
# SIGUSR1, then check that every benchmark record reached data/out_dat/benchmark.dat and that
# every sink's share of lines matches its expectation.
# Env: LINE_CNT (default 10000, as for case_interrupt.sh), RECOVERY_TIMEOUT_SEC (default 300).
set -euo pipefail
. "$(dirname "$0")/env.sh"
TIMEOUT="${RECOVERY_TIMEOUT_SEC:-300}"

step "replay rescue files (wprescue daemon --stat 100)"
wprescue daemon --stat 100 &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null || true' EXIT

waited=0
while [ "$(rescue_count .dat)" -gt 0 ]; do
  kill -0 "$pid" 2>/dev/null || fail "wprescue exited early (see logs/wprescue.log)"
  [ "$waited" -lt "$TIMEOUT" ] || fail "rescue folder not empty after ${TIMEOUT}s"
  sleep 1
  waited=$((waited + 1))
done

step "stop wprescue gracefully (SIGUSR1)"
kill -USR1 "$pid"
code=0
wait "$pid" || code=$?
trap - EXIT
[ "$code" -eq 0 ] || fail "wprescue exited with code $code"

step "rescue folder"
ls -l data/rescue/

step "line counts"
wproj stat file

step "expectations"
wproj validate sink-file -v

expected=$((LINE_CNT - LINE_CNT / 3))   # two of every three sample lines are benchmark records
got=$(wc -l < data/out_dat/benchmark.dat | tr -d ' ')
[ "$got" -eq "$expected" ] || fail "benchmark.dat has $got lines, expected $expected"
[ "$(rescue_count .dat)" -eq 0 ] || fail "rescue files remain"
grep -q "recover end" logs/wprescue.log || fail "logs/wprescue.log has no 'recover end'"
echo
echo "case_recovery: OK — benchmark.dat holds all $expected benchmark records"
