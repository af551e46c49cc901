#!/usr/bin/env bash
# Whole-process benchmark harness: generates nginx access-log lines once, then times each
# scenario as a separate process and prints lines/s, MB/s, the ratio to `cat` (the I/O floor,
# measured in the same run) and peak RSS. Usage: bench/run.sh [LINES] [RUNS]
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LINES="${1:-${BENCH_LINES:-1000000}}"
RUNS="${2:-${BENCH_RUNS:-1}}"
OUT="$HERE/out"
WORK="$OUT/work"

for tool in wparse wpgen; do
  command -v "$tool" >/dev/null || { echo "bench: $tool not on PATH (run ./build.sh bench)" >&2; exit 2; }
done
if [ ! -x /usr/bin/time ]; then
  echo "bench: installing GNU time for peak RSS" >&2
  apt-get install -y -qq time >/dev/null
fi

rm -rf "$WORK"
mkdir -p "$OUT"
cp -r "$HERE/workroot/nginx" "$WORK"

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

sink_group blackhole_sink
wpgen sample --work-root "$WORK" -n "$LINES" >/dev/null
INPUT="$WORK/data/in_dat/gen.dat"
BYTES=$(stat -c %s "$INPUT")

# measure NAME CMD... : runs CMD $RUNS times, keeps the median wall time and the largest peak RSS.
RESULTS=()
measure() {
  local name="$1"; shift
  local walls=() rss=0 i
  for ((i = 0; i < RUNS; i++)); do
    rm -rf "$WORK/data/out_dat" "$WORK/data/rescue"
    /usr/bin/time -f "%e %M" -o "$OUT/time.txt" "$@" >/dev/null 2>"$OUT/stderr.txt" || {
      echo "bench: $name failed:" >&2; cat "$OUT/stderr.txt" >&2; exit 1; }
    read -r wall kb < "$OUT/time.txt"
    walls+=("$wall")
    [ "$kb" -gt "$rss" ] && rss="$kb"
  done
  local median
  median=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  RESULTS+=("$name|$median|$rss")
}

measure "cat file > file" sh -c "cat '$INPUT' > '$OUT/cat.out'"
measure "wparse file -> blackhole" wparse batch --work-root "$WORK"
sink_group file_kv_sink
measure "wparse file -> kv file" wparse batch --work-root "$WORK"
got=$(wc -l < "$WORK/data/out_dat/nginx.kv")
[ "$got" -eq "$LINES" ] || { echo "bench: kv output has $got lines, expected $LINES" >&2; exit 1; }
sink_group file_rescue_sink
measure "wparse file -> rescue (down)" env WP_TEST_RESCUE_UP_MS=0 WP_TEST_RESCUE_DOWN_MS=1000 wparse batch --work-root "$WORK"
got=$(cat "$WORK"/data/rescue/nginx_sink-*.dat | wc -l)
[ "$got" -eq "$LINES" ] || { echo "bench: rescue files hold $got entries, expected $LINES" >&2; exit 1; }

base_wall=$(printf '%s\n' "${RESULTS[0]}" | cut -d'|' -f2)
echo
echo "wp benchmark: $LINES nginx lines ($((BYTES / LINES)) B/line avg), median of $RUNS run(s), $(nproc) cores, $(date -u +%Y-%m-%d)"
printf '%-28s %10s %14s %9s %12s %12s\n' "scenario" "wall s" "lines/s" "MB/s" "x cat" "peak RSS MiB"
for row in "${RESULTS[@]}"; do
  IFS='|' read -r name wall kb <<<"$row"
  awk -v n="$name" -v w="$wall" -v kb="$kb" -v l="$LINES" -v b="$BYTES" -v bw="$base_wall" 'BEGIN {
    if (w <= 0) w = 0.001; if (bw <= 0) bw = 0.001;
    printf "%-28s %10.2f %14.0f %9.1f %12.3f %12.1f\n", n, w, l / w, b / w / 1048576, bw / w, kb / 1024 }'
done
