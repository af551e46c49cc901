#!/usr/bin/env bash
# Whole-process benchmark harness (issues 7 and 14). Generates nginx access-log lines
# deterministically (bench/gen-nginx.awk), then runs every scenario as a separate process, RUNS
# rounds, each round running all scenarios one after another (so a noisy machine hits them all
# alike), and prints one table: median wall time, lines/s, MB/s of input, ratio to the mawk
# reference of the same run (bench/mawk-nginx.awk, the format-aware split a shell user would write)
# peak RSS (largest of the runs) and median CPU seconds (user + system; /usr/bin/time — on a shared
# machine the CPU a scenario used moves far less with the load than its wall time); then the
# issue-14 targets, each with its figure.
#
# Usage: bench/run.sh [--peers] [LINES] [RUNS]      (defaults 1000000 3; env BENCH_LINES, BENCH_RUNS)
#   --peers   also run syslog-ng (installed with apt-get when missing) on the same data:
#             file -> apache-accesslog-parser -> key=value file (bench/peers/syslog-ng.conf.in)
#
# Scenarios (issue 14 targets in brackets; "realistic" = named fields in the rule + the OML model
# `* : auto = take() ;` + a kv file sink, written into the work root by this script):
#   ref  mawk nginx-aware split to `key: value`      the reference every ratio uses
#   1    wparse realistic, file -> kv file           [>= 1.5x ref]
#   2    the same with the sink down -> rescue files [>= 1.3x ref]
#   3    wprescue, scenario 2's files -> kv file     [>= 2.0x ref]
#   4    scenario 1 without the OML model            [model cost: wall 1 / wall 4 - 1 <= 10%]
#   RSS  peak RSS of 1-3                             [<= 64 MiB at 10^6 lines]
#   info mawk naive split (issue 7's reference), cat, blackhole, issue 7's unnamed rule without a
#        model, replay RSS at LINES/10 and LINES, start-up (wproj stat file, --help of each tool)
#   1b/3b BENCH_BASELINE_BIN=DIR: scenarios 1 and 3 with the tools in DIR (e.g. main's dist/bin), run
#        right after their own in every round; the table ends with the ratios (A/B in one run)
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

# The rule: "unnamed" is issue 7's (fields named after their types), "named" names every field
# the way the mawk reference does.
wpl_rule() { # $1 = unnamed | named
  local fields='(ip, 2*_, time/clf<[,]>, http/request", http/status, digit, chars", chars", chars")'
  [ "$1" = named ] &&
    fields='(ip:sip, 2*_, time/clf:time<[,]>, http/request:request", http/status:status, digit:size, chars:referer", chars:agent", chars:xff")'
  cat > "$WORK/models/wpl/nginx/parse.wpl" <<WPL
package /bench {
  rule nginx {
    $fields
  }
}
WPL
}
# The OML model of the realistic scenario: every field taken as it is (a projection).
oml_model() { # $1 = take-all | none
  rm -rf "$WORK/models/oml"
  [ "$1" = none ] && return 0
  mkdir -p "$WORK/models/oml"
  cat > "$WORK/models/oml/nginx.oml" <<OML
name : nginx
rule : /bench/*
---
* : auto = take() ;
OML
}

# --- measurement ------------------------------------------------------------------------------
# Results: WALLS[name] = "w1 w2 ...", CPUS[name] = "c1 c2 ..." (user + system seconds), RSS[name] =
# max KiB, LINESOF[name] = lines the row processed.
declare -A WALLS CPUS RSS LINESOF
ORDER=()
timed() { # NAME LINES CMD... : one run, wall and peak RSS recorded under NAME
  local name="$1" lines="$2"; shift 2
  if [ -z "${LINESOF[$name]+x}" ]; then ORDER+=("$name"); RSS[$name]=0; WALLS[$name]=""; CPUS[$name]=""; fi
  LINESOF[$name]=$lines
  local t0 t1 wall kb user sys
  # Every run starts with no dirty page cache: otherwise the kernel writes back the previous
  # scenario's output (hundreds of MB) during this one, and whichever scenario follows a big writer
  # pays for it (scenario 1, after mawk's naive split, ran 14 % slower than 4 in one run; run alone,
  # alternating, the two took the same time).
  sync
  # Wall time from bash's clock (no fork around the command); peak RSS from GNU time.
  t0=$EPOCHREALTIME
  /usr/bin/time -f "%M %U %S" -o "$OUT/time.txt" "$@" >"$OUT/stdout.txt" 2>"$OUT/stderr.txt" || {
    echo "bench: $name failed (exit $?):" >&2; cat "$OUT/stderr.txt" "$OUT/stdout.txt" >&2; exit 1; }
  t1=$EPOCHREALTIME
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b - a}')
  read -r kb user sys < "$OUT/time.txt"
  WALLS[$name]="${WALLS[$name]} $wall"
  CPUS[$name]="${CPUS[$name]} $(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.2f", u + s}')"
  [ "$kb" -gt "${RSS[$name]}" ] && RSS[$name]=$kb
  return 0
}
expect_lines() { # WHAT GOT WANT
  [ "$2" -eq "$3" ] || { echo "bench: $1 has $2 lines, expected $3" >&2; exit 1; }
}
# data/pos: read positions (a second run of the same input would otherwise read nothing).
clean_outputs() { rm -rf "$WORK/data/out_dat" "$WORK/data/rescue" "$WORK/data/pos" "$WORK/logs"; }
rescue_entries() { cat "$WORK"/data/rescue/nginx_sink-*.dat 2>/dev/null | wc -l; }
# wprescue replays a .dat only once it has not changed for 1 s (a file still being copied in must
# not be replayed half-way); rescue files of a real outage are long settled, so the bench dates
# them back a minute rather than timing that wait.
settle_rescue() { touch -d '-1 minute' "$WORK"/data/rescue/*.dat 2>/dev/null || true; }

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

REF="mawk nginx-aware split -> kv (ref)"
NAIVE="mawk naive split -> kv (info, issue 7 ref)"
S1="1 wparse named+OML -> kv file"
S2="2 wparse named+OML, sink down -> rescue"
S3="3 wprescue replay of 2 -> kv file"
S4="4 wparse named, no OML -> kv file"
S1B="1b baseline: 1 with BENCH_BASELINE_BIN"
S3B="3b baseline: 3 with BENCH_BASELINE_BIN"
DOWN=(env WP_TEST_RESCUE_UP_MS=0 WP_TEST_RESCUE_DOWN_MS=86400000)
BASE="${BENCH_BASELINE_BIN:-}"

for ((round = 1; round <= RUNS; round++)); do
  echo "bench: round $round/$RUNS" >&2
  timed "cat file > file (I/O floor)" "$LINES" sh -c "cat '$DATA' > '$OUT/cat.out'"
  timed "$REF" "$LINES" sh -c "mawk -f '$HERE/mawk-nginx.awk' '$DATA' > '$OUT/mawk.out'"
  expect_lines "mawk output" "$(wc -l < "$OUT/mawk.out")" "$LINES"
  timed "$NAIVE" "$LINES" sh -c "mawk -f '$HERE/mawk-kv.awk' '$DATA' > '$OUT/mawk.out'"
  expect_lines "mawk output" "$(wc -l < "$OUT/mawk.out")" "$LINES"
  if [ "$PEERS" = 1 ]; then peer_run; fi

  # Realistic configuration: named fields + take-all model.
  wpl_rule named
  oml_model take-all

  clean_outputs
  sink_group blackhole_sink
  timed "wparse named+OML -> blackhole (info)" "$LINES" wparse batch --work-root "$WORK"

  clean_outputs
  sink_group file_kv_sink
  timed "$S1" "$LINES" wparse batch --work-root "$WORK"
  expect_lines "scenario 1 kv output" "$(wc -l < "$WORK/data/out_dat/nginx.kv")" "$LINES"

  if [ -n "$BASE" ]; then
    clean_outputs
    timed "$S1B" "$LINES" "$BASE/wparse" batch --work-root "$WORK"
    expect_lines "scenario 1b kv output" "$(wc -l < "$WORK/data/out_dat/nginx.kv")" "$LINES"
  fi

  clean_outputs
  sink_group file_rescue_sink
  timed "$S2" "$LINES" "${DOWN[@]}" wparse batch --work-root "$WORK"
  expect_lines "scenario 2 rescue files" "$(rescue_entries)" "$LINES"

  if [ "$HAS_REPLAY" = 1 ]; then
    sink_group file_kv_sink
    settle_rescue
    timed "$S3" "$LINES" wprescue batch --work-root "$WORK"
    expect_lines "scenario 3 kv output" "$(wc -l < "$WORK/data/out_dat/nginx.kv")" "$LINES"
    expect_lines "scenario 3 rescue files left" "$(rescue_entries)" 0
    if [ -n "$BASE" ]; then
      clean_outputs
      sink_group file_rescue_sink
      "${DOWN[@]}" wparse batch --work-root "$WORK" >/dev/null 2>&1
      sink_group file_kv_sink
      settle_rescue
      timed "$S3B" "$LINES" "$BASE/wprescue" batch --work-root "$WORK"
      expect_lines "scenario 3b kv output" "$(wc -l < "$WORK/data/out_dat/nginx.kv")" "$LINES"
    fi
  fi

  # The same rule without the model: what the model costs.
  oml_model none
  clean_outputs
  sink_group file_kv_sink
  timed "$S4" "$LINES" wparse batch --work-root "$WORK"
  expect_lines "scenario 4 kv output" "$(wc -l < "$WORK/data/out_dat/nginx.kv")" "$LINES"

  # Issue 7's headline for comparison: unnamed fields, no model.
  wpl_rule unnamed
  clean_outputs
  timed "wparse unnamed, no OML -> kv (info, issue 7)" "$LINES" wparse batch --work-root "$WORK"
  expect_lines "issue 7 kv output" "$(wc -l < "$WORK/data/out_dat/nginx.kv")" "$LINES"
  wpl_rule named
  oml_model take-all
done

# The replay's peak RSS must not grow with the number of entries replayed (issue 7; realistic configuration).
if [ "$HAS_REPLAY" = 1 ]; then
  SMALL=$((LINES / 10))
  for n in "$SMALL" "$LINES"; do
    clean_outputs
    sink_group file_rescue_sink
    "${DOWN[@]}" wparse batch --work-root "$WORK" -n "$n" >/dev/null 2>&1
    expect_lines "replay RSS rescue files" "$(rescue_entries)" "$n"
    sink_group file_kv_sink
    settle_rescue
    timed "wprescue replay of $n (RSS, info)" "$n" wprescue batch --work-root "$WORK"
  done
fi

# Start-up (issue 7, info). `wproj stat file` on a usecase-sized work root (10^4-line input and kv
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
  timed "start: wproj stat file (10^4 lines)" 0 wproj stat file --work-root "$SMALL_ROOT"
  timed "start: wproj stat file ($LINES lines)" 0 wproj stat file --work-root "$WORK"
  for tool in wparse wprescue wproj wpgen; do
    timed "start: $tool --help" 0 "$tool" --help
  done
done

# --- table ------------------------------------------------------------------------------------
median() { printf '%s\n' $1 | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
REF_RATE=$(awk -v w="$(median "${WALLS[$REF]}")" -v l="$LINES" 'BEGIN { if (w <= 0) w = 0.001; print l / w }')
echo
echo "wp benchmark: $LINES nginx lines ($((BYTES / LINES)) B/line avg, bench/gen-nginx.awk), median of $RUNS run(s)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%d)"
printf '| %-44s | %8s | %10s | %7s | %8s | %8s | %7s |\n' "scenario" "wall s" "lines/s" "MB/s" "x mawk" "RSS MiB" "CPU s"
printf '|%s|%s|%s|%s|%s|%s|%s|\n' "----------------------------------------------" "---------:" "-----------:" "--------:" "---------:" "---------:" "--------:"
for name in "${ORDER[@]}"; do
  awk -v n="$name" -v w="$(median "${WALLS[$name]}")" -v c="$(median "${CPUS[$name]:-}")" -v kb="${RSS[$name]}" -v l="${LINESOF[$name]}" \
      -v b="$BYTES" -v tl="$LINES" -v ref="$REF_RATE" 'BEGIN {
    cpu = (c == "") ? "-" : sprintf("%.2f", c)
    if (l == 0) { printf "| %-44s | %8.3f | %10s | %7s | %8s | %8.1f | %7s |\n", n, w, "-", "-", "-", kb / 1024, cpu; exit }
    if (w <= 0) w = 0.001
    printf "| %-44s | %8.2f | %10.0f | %7.1f | %8.2f | %8.1f | %7s |\n", n, w, l / w, b * (l / tl) / w / 1048576, l / w / ref, kb / 1024, cpu }'
done
med() { median "${WALLS[$1]:-}"; }
rate() { awk -v w="$(med "$1")" -v l="${LINESOF[$1]}" 'BEGIN { if (w <= 0) w = 0.001; print l / w }'; }
mib() { awk -v kb="${RSS[$1]:-0}" 'BEGIN { printf "%.1f", kb / 1024 }'; }
verdict() { awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN { ok = (op == ">=") ? v >= t : v <= t; print ok ? "met" : "NOT met" }'; }
echo
echo "issue 14 targets (reference: $REF, $(awk -v r="$REF_RATE" 'BEGIN {printf "%.0f", r}') lines/s in this run)"
for pair in "1:$S1:1.5" "2:$S2:1.3" "3:$S3:2.0"; do
  IFS=: read -r num name want <<< "$pair"
  [ -n "${LINESOF[$name]+x}" ] || continue
  x=$(awk -v r="$(rate "$name")" -v ref="$REF_RATE" 'BEGIN {printf "%.2f", r / ref}')
  echo "  $num. $name: ${x}x (target >= ${want}x): $(verdict "$x" ">=" "$want")"
done
cost=$(awk -v a="$(med "$S1")" -v b="$(med "$S4")" 'BEGIN {printf "%.1f", (a / b - 1) * 100}')
cpucost=$(awk -v a="$(median "${CPUS[$S1]}")" -v b="$(median "${CPUS[$S4]}")" 'BEGIN { if (b <= 0) b = 0.001; printf "%.1f", (a / b - 1) * 100}')
echo "  4. OML take-all model cost (wall 1 / wall 4 - 1): ${cost}% (target <= 10%): $(verdict "$cost" "<=" 10); in CPU seconds: ${cpucost}%"
for name in "$S1" "$S2" "$S3"; do
  [ -n "${LINESOF[$name]+x}" ] || continue
  echo "  5. peak RSS of '$name': $(mib "$name") MiB (target <= 64 MiB at 10^6 lines): $(verdict "$(mib "$name")" "<=" 64)"
done
if [ -n "$BASE" ]; then
  for pair in "$S1:$S1B" "$S3:$S3B"; do
    IFS=: read -r a b <<< "$pair"
    [ -n "${LINESOF[$b]+x}" ] || continue
    awk -v n="$a" -v a="$(med "$a")" -v b="$(med "$b")" 'BEGIN {
      printf "%s vs baseline (%s): lines/s ratio %.3f (%+.1f%%), medians of alternating runs\n", n, ENVIRON["BENCH_BASELINE_BIN"], b / a, (b / a - 1) * 100 }'
  done
fi
if [ "$HAS_REPLAY" = 0 ]; then
  echo "(scenario 3 and the replay RSS rows skipped: this wprescue has no 'batch' command yet)"
fi
exit 0
