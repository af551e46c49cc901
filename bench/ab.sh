#!/usr/bin/env bash
# A/B timing on a noisy machine: runs each command RUNS times, alternating them round by round,
# and prints the median wall time, median user+sys CPU and the largest peak RSS of each.
# Usage: bench/ab.sh RUNS 'label=command' 'label=command' ...   (commands run with sh -c)
set -euo pipefail
runs="$1"; shift
declare -A wall cpu rss
for ((r = 0; r < runs; r++)); do
  for spec in "$@"; do
    label="${spec%%=*}"; cmd="${spec#*=}"
    /usr/bin/time -f "%e %U %S %M" -o /tmp/ab.time sh -c "$cmd" >/dev/null 2>/tmp/ab.err || { echo "ab: $label failed" >&2; cat /tmp/ab.err >&2; exit 1; }
    read -r w u s m < /tmp/ab.time
    wall[$label]="${wall[$label]:-} $w"; cpu[$label]="${cpu[$label]:-} $(awk -v u="$u" -v s="$s" 'BEGIN {print u + s}')"
    [ "${rss[$label]:-0}" -lt "$m" ] && rss[$label]=$m
  done
done
med() { printf '%s\n' $1 | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
for spec in "$@"; do
  label="${spec%%=*}"
  printf '%-28s wall %6.2f s  cpu %6.2f s  rss %6.1f MiB   (walls:%s)\n' "$label" "$(med "${wall[$label]}")" "$(med "${cpu[$label]}")" "$(awk -v k="${rss[$label]}" 'BEGIN {print k / 1024}')" "${wall[$label]}"
done
