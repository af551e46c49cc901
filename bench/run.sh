#!/usr/bin/env bash
# Whole-process benchmark harness (issue 7). Generates nginx access-log lines deterministically
# (bench/gen-nginx.awk), then runs every scenario as a separate process, RUNS rounds, each round
# running all scenarios one after another (so a noisy machine hits them all alike), and prints one
# table: median wall time, lines/s, MB/s of input, ratio to the mawk reference of the same run
# (bench/mawk-kv.awk) and peak RSS (largest of the runs, /usr/bin/time).
#
# Usage: bench/run.sh [--peers] [LINES] [RUNS]      (defaults 1000000 3; env BENCH_LINES, BENCH_RUNS)
#   --peers   also run syslog-ng (installed with apt-get when missing) on the same data:
#             file -> apache-accesslog-parser -> key=value file (bench/peers/syslog-ng.conf.in)
#
# Scenarios (issue 7 targets in brackets):
#   ref  mawk naive split to `key: value`            the reference every ratio uses
#   1    wparse batch, file -> kv file               [>= 1.1x mawk]
#   2    wparse batch, sink down -> rescue files     [>= 1.0x mawk]
#   3    wprescue batch, scenario 2's files -> kv    [>= 1.8x mawk]
#   4    peak RSS of 3 at LINES/10 and LINES         [<= 100 MiB, flat]
#   5    start-up: wproj stat file, --help of each   [<= 150 ms each]
#   1b   BENCH_BASELINE_BIN=DIR: scenario 1 with the wparse in DIR (e.g. main's dist/bin), run right
#        after scenario 1 in every round; the table ends with the ratio of the two (A/B in one run)
set -euo pipefail
[ -n "${EPOCHREALTIME:-}" ] || { echo "bench: needs bash 5 (EPOCHREALTIME)" >&2; exit 2; }

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PEERS=0
if [ "${1:-}" = "--peers" ]; then PEERS=1; shift; fi
LINES="${1:-${BENCH_LINES:-1000000}}"
RUNS="${2:-${BENCH_RUNS:-3}}"
OUT="$HERE/out"
WORK="$OUT/work"
DATA="$OUT/nginx-$LINES.dat"

for tool in wparse wproj wpgen wprescue; do
  command -v "$tool" >/dev/null || { echo "bench: $tool not on PATH (run ./build.sh bench)" >&2; exit 2; }
done
command -v mawk >/dev/null || { echo "bench: installing mawk" >&2; apt-get install -y -qq mawk >/dev/null; }
if [ ! -x /usr/bin/time ]; then
  echo "bench: installing GNU time for peak RSS" >&2
  apt-get install -y -qq time >/dev/null
fi
HAS_REPLAY=0
if wprescue --help 2>/dev/null | grep -q "^  batch"; then HAS_REPLAY=1; fi

# --- data: generated once per size, reused while the generator is unchanged -------------------
gen_data() { # $1 = lines, $2 = file
  local stamp="$2.sum" want
  want="$1 $(md5sum < "$HERE/gen-nginx.awk" | cut -d' ' -f1)"
  if [ ! -f "$2" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "bench: generating $1 nginx lines" >&2
    mawk -v n="$1" -f "$HERE/gen-nginx.awk" > "$2"
    echo "$want" > "$stamp"
  fi
}
mkdir -p "$OUT"
gen_data "$LINES" "$DATA"
BYTES=$(stat -c %s "$DATA")

rm -rf "$WORK"
cp -r "$HERE/workroot/nginx" "$WORK"
mkdir -p "$WORK/data/in_dat" "$WORK/sink/business.d"
ln -sf "$DATA" "$WORK/data/in_dat/gen.dat"

sink_group() { # $1 = connector
  local params=""
  [ "$1" = "blackhole_sink" ] || params='params  = { file = "nginx.kv" }'
  cat > "$WORK/sink/business.d/nginx.toml" <<TOML
version = "2.0"

[sink_group]
name = "nginx"
rule = ["/bench/*"]

[[sink_group.sinks]]
name    = "nginx_sink"
connect = "$1"
$params
TOML
}

# --- measurement ------------------------------------------------------------------------------
# Results: WALLS[name] = "w1 w2 ...", RSS[name] = max KiB, LINESOF[name] = lines the row processed.
declare -A WALLS RSS LINESOF
ORDER=()
timed() { # NAME LINES CMD... : one run, wall and peak RSS recorded under NAME
  local name="$1" lines="$2"; shift 2
  if [ -z "${LINESOF[$name]+x}" ]; then ORDER+=("$name"); RSS[$name]=0; WALLS[$name]=""; fi
  LINESOF[$name]=$lines
  local t0 t1 wall kb
  # Wall time from bash's clock (no fork around the command); peak RSS from GNU time.
  t0=$EPOCHREALTIME
  /usr/bin/time -f "%M" -o "$OUT/time.txt" "$@" >"$OUT/stdout.txt" 2>"$OUT/stderr.txt" || {
    echo "bench: $name failed (exit $?):" >&2; cat "$OUT/stderr.txt" "$OUT/stdout.txt" >&2; exit 1; }
  t1=$EPOCHREALTIME
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b - a}')
  read -r kb < "$OUT/time.txt"
  WALLS[$name]="${WALLS[$name]} $wall"
  [ "$kb" -gt "${RSS[$name]}" ] && RSS[$name]=$kb
  return 0
}
expect_lines() { # WHAT GOT WANT
  [ "$2" -eq "$3" ] || { echo "bench: $1 has $2 lines, expected $3" >&2; exit 1; }
}
# data/pos: read positions (a second run of the same input would otherwise read nothing).
clean_outputs() { rm -rf "$WORK/data/out_dat" "$WORK/data/rescue" "$WORK/data/pos" "$WORK/logs"; }
rescue_entries() { cat "$WORK"/data/rescue/nginx_sink-*.dat 2>/dev/null | wc -l; }

# syslog-ng never exits at end of file: the run is timed until its destination has processed
# every line (syslog-ng-ctl stats, polled every 20 ms), then it is stopped.
PEER="syslog-ng file -> apache parser -> kv"
peer_run() {
  local dir="$OUT/syslog-ng" name="$PEER" t0 t1 pid n kb
  rm -rf "$dir"; mkdir -p "$dir"
  sed -e "s|@INPUT@|$DATA|" -e "s|@OUTPUT@|$dir/out.kv|" "$HERE/peers/syslog-ng.conf.in" > "$dir/syslog-ng.conf"
  if [ -z "${LINESOF[$name]+x}" ]; then ORDER+=("$name"); RSS[$name]=0; WALLS[$name]=""; fi
  LINESOF[$name]=$LINES
  t0=$EPOCHREALTIME
  syslog-ng -F --no-caps -f "$dir/syslog-ng.conf" -R "$dir/persist" -p "$dir/pid" -c "$dir/ctl" >"$dir/log" 2>&1 &
  pid=$!
  n=0
  while [ "$n" -lt "$LINES" ]; do
    sleep 0.02
    kill -0 "$pid" 2>/dev/null || { echo "bench: syslog-ng exited before processing $LINES lines:" >&2; cat "$dir/log" >&2; exit 1; }
    # The control socket appears a moment after start: a failed query just means "not yet".
    n=$(syslog-ng-ctl stats -c "$dir/ctl" 2>/dev/null | awk -F';' '$1 == "destination" && $2 == "d_out" && $5 == "processed" {print $6}') || n=0
    n=${n:-0}
  done
  t1=$EPOCHREALTIME
  kb=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  # "processed" can run ahead of the file by what syslog-ng still had queued; it writes that on exit.
  local i
  for ((i = 0; i < 50 && $(wc -l < "$dir/out.kv") < LINES; i++)); do sleep 0.1; done
  expect_lines "syslog-ng output ($dir/log)" "$(wc -l < "$dir/out.kv")" "$LINES"
  WALLS[$name]="${WALLS[$name]} $(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b - a}')"
  [ "$kb" -gt "${RSS[$name]}" ] && RSS[$name]=$kb
  return 0
}
if [ "$PEERS" = 1 ] && ! command -v syslog-ng >/dev/null; then
  echo "bench: installing syslog-ng (Debian packages syslog-ng-core, syslog-ng-scl)" >&2
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d # do not start the system service
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends syslog-ng-core syslog-ng-scl >/dev/null || true
  rm -f /usr/sbin/policy-rc.d
  command -v syslog-ng >/dev/null || { echo "bench: syslog-ng could not be installed; --peers skipped" >&2; PEERS=0; }
fi

REF="mawk naive split -> kv (ref)"
S1="1 wparse file -> kv file"
S2="2 wparse sink down -> rescue"
S3="3 wprescue rescue -> kv file"
S1B="1b baseline wparse file -> kv file"
DOWN=(env WP_TEST_RESCUE_UP_MS=0 WP_TEST_RESCUE_DOWN_MS=86400000)

for ((round = 1; round <= RUNS; round++)); do
  echo "bench: round $round/$RUNS" >&2
  timed "cat file > file (I/O floor)" "$LINES" sh -c "cat '$DATA' > '$OUT/cat.out'"
  timed "$REF" "$LINES" sh -c "mawk -f '$HERE/mawk-kv.awk' '$DATA' > '$OUT/mawk.out'"
  timed "mawk nginx-aware split (info)" "$LINES" sh -c "mawk -f '$HERE/mawk-nginx.awk' '$DATA' > '$OUT/mawk.out'"
  expect_lines "mawk output" "$(wc -l < "$OUT/mawk.out")" "$LINES"
  if [ "$PEERS" = 1 ]; then peer_run; fi

  clean_outputs
  sink_group blackhole_sink
  timed "wparse file -> blackhole (info)" "$LINES" wparse batch --work-root "$WORK"

  clean_outputs
  sink_group file_kv_sink
  timed "$S1" "$LINES" wparse batch --work-root "$WORK"
  expect_lines "scenario 1 kv output" "$(wc -l < "$WORK/data/out_dat/nginx.kv")" "$LINES"

  if [ -n "${BENCH_BASELINE_BIN:-}" ]; then
    clean_outputs
    timed "$S1B" "$LINES" "$BENCH_BASELINE_BIN/wparse" batch --work-root "$WORK"
    expect_lines "scenario 1b kv output" "$(wc -l < "$WORK/data/out_dat/nginx.kv")" "$LINES"
  fi

  clean_outputs
  sink_group file_rescue_sink
  timed "$S2" "$LINES" "${DOWN[@]}" wparse batch --work-root "$WORK"
  expect_lines "scenario 2 rescue files" "$(rescue_entries)" "$LINES"

  if [ "$HAS_REPLAY" = 1 ]; then
    sink_group file_kv_sink
    timed "$S3" "$LINES" wprescue batch --work-root "$WORK"
    expect_lines "scenario 3 kv output" "$(wc -l < "$WORK/data/out_dat/nginx.kv")" "$LINES"
    expect_lines "scenario 3 rescue files left" "$(rescue_entries)" 0
  fi
done

# Scenario 4: the replay's peak RSS must not grow with the number of entries replayed.
if [ "$HAS_REPLAY" = 1 ]; then
  SMALL=$((LINES / 10))
  for n in "$SMALL" "$LINES"; do
    clean_outputs
    sink_group file_rescue_sink
    "${DOWN[@]}" wparse batch --work-root "$WORK" -n "$n" >/dev/null 2>&1
    expect_lines "scenario 4 rescue files" "$(rescue_entries)" "$n"
    sink_group file_kv_sink
    timed "4 wprescue replay of $n" "$n" wprescue batch --work-root "$WORK"
  done
fi

# Scenario 5: start-up. `wproj stat file` on a usecase-sized work root (10^4-line input and kv
# output: the start-up target) and, for information, on this run's LINES-line root (input + kv
# output, ~0.5 GB to count: mostly copying pages, `wc -l` alone needs ~0.1 s of it). Start-up rows
# run 3x as often as the others, for a steadier median.
clean_outputs
sink_group file_kv_sink
wparse batch --work-root "$WORK" >/dev/null 2>&1
SMALL_ROOT="$OUT/work-small"
rm -rf "$SMALL_ROOT"
cp -r "$HERE/workroot/nginx" "$SMALL_ROOT"
mkdir -p "$SMALL_ROOT/data/in_dat" "$SMALL_ROOT/sink/business.d"
head -n 10000 "$DATA" > "$SMALL_ROOT/data/in_dat/gen.dat"
cp "$WORK/sink/business.d/nginx.toml" "$SMALL_ROOT/sink/business.d/"
wparse batch --work-root "$SMALL_ROOT" >/dev/null 2>&1
for ((round = 1; round <= 3 * RUNS; round++)); do
  timed "5 wproj stat file (10^4 lines)" 0 wproj stat file --work-root "$SMALL_ROOT"
  timed "5 wproj stat file ($LINES lines, info)" 0 wproj stat file --work-root "$WORK"
  for tool in wparse wprescue wproj wpgen; do
    timed "5 $tool --help" 0 "$tool" --help
  done
done

# --- table ------------------------------------------------------------------------------------
median() { printf '%s\n' $1 | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
REF_RATE=$(awk -v w="$(median "${WALLS[$REF]}")" -v l="$LINES" 'BEGIN { if (w <= 0) w = 0.001; print l / w }')
echo
echo "wp benchmark: $LINES nginx lines ($((BYTES / LINES)) B/line avg, bench/gen-nginx.awk), median of $RUNS run(s)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%d)"
printf '| %-42s | %8s | %10s | %7s | %8s | %8s |\n' "scenario" "wall s" "lines/s" "MB/s" "x mawk" "RSS MiB"
printf '|%s|%s|%s|%s|%s|%s|\n' "--------------------------------------------" "---------:" "-----------:" "--------:" "---------:" "---------:"
for name in "${ORDER[@]}"; do
  awk -v n="$name" -v w="$(median "${WALLS[$name]}")" -v kb="${RSS[$name]}" -v l="${LINESOF[$name]}" \
      -v b="$BYTES" -v tl="$LINES" -v ref="$REF_RATE" 'BEGIN {
    if (l == 0) { printf "| %-42s | %8.3f | %10s | %7s | %8s | %8.1f |\n", n, w, "-", "-", "-", kb / 1024; exit }
    if (w <= 0) w = 0.001
    printf "| %-42s | %8.2f | %10.0f | %7.1f | %8.2f | %8.1f |\n", n, w, l / w, b * (l / tl) / w / 1048576, l / w / ref, kb / 1024 }'
done
if [ -n "${BENCH_BASELINE_BIN:-}" ]; then
  awk -v a="$(median "${WALLS[$S1]}")" -v b="$(median "${WALLS[$S1B]}")" 'BEGIN {
    printf "scenario 1 vs baseline (%s): lines/s ratio %.3f (%+.1f%%), medians of alternating runs\n", ENVIRON["BENCH_BASELINE_BIN"], b / a, (b / a - 1) * 100 }'
fi
if [ "$HAS_REPLAY" = 0 ]; then
  echo "(scenarios 3 and 4 skipped: this wprescue has no 'batch' command yet)"
fi
exit 0
