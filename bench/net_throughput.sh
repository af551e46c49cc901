#!/usr/bin/env bash
# Network source throughput (issue 15, "done means" 6), on one machine, in one run:
#   1. the same N lines read by file_src and by syslog_tcp_src (one connection, newline framing),
#      each into a kv file sink — lines/s of wparse batch;
#   2. N messages consumed from NATS JetStream by 1 and by 2 wparse instances on one durable.
# Usage: bench/net_throughput.sh [N]   (tools from PATH or dist/bin; needs nats-server)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"; REPO="$(cd "$HERE/.." && pwd)"
N="${1:-200000}"
command -v wparse >/dev/null || PATH="$REPO/dist/bin:$PATH"
NATS_SERVER="$(command -v nats-server || echo /usr/sbin/nats-server)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/wp-netbench.XXXXXX")"; trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { local p=$((20000 + RANDOM % 30000)); while port_open "$p"; do p=$((p + 1)); done; echo "$p"; }
now() { date +%s.%N; }
root() { # root DIR SOURCE_TOML
  mkdir -p "$1/conf" "$1/models/wpl/b" "$1/sink/business.d" "$1/data/in_dat"
  printf 'version = "1.0"\nparse_workers = 2\nspeed_limit = 0\n[log_conf]\nlevel = "warn,ctrl=info"\noutput = "file"\n[log_conf.file]\npath = "./logs"\n' > "$1/conf/wparse.toml"
  printf '%s\n' "$2" > "$1/conf/wpsrc.toml"
  printf 'package /b {\n  rule line {\n    (digit:seq, chars:a, chars:b, chars:c)\n  }\n}\n' > "$1/models/wpl/b/parse.wpl"
  printf 'version = "2.0"\n[sink_group]\nname = "b"\nrule = ["/b/*"]\n[[sink_group.sinks]]\nname = "b_sink"\nconnect = "file_kv_sink"\nparams = { file = "b.kv" }\n' > "$1/sink/business.d/b.toml"
}
awk -v n="$N" 'BEGIN { for (i = 0; i < n; i++) print i " syslog-bench line " i }' > "$WORK/lines"

root "$WORK/file" '[[sources]]
key = "f"
connect = "file_src"'
cp "$WORK/lines" "$WORK/file/data/in_dat/gen.dat"
t0=$(now); (cd "$WORK/file" && wparse batch >/dev/null); t1=$(now)
file_s=$(echo "$t1 - $t0" | bc -l)

P=$(free_port)
root "$WORK/tcp" "[[sources]]
key = \"t\"
connect = \"syslog_tcp_src\"
params = { addr = \"127.0.0.1\", port = $P, idle_exit_sec = 1, header_mode = \"keep\" }"
(cd "$WORK/tcp" && exec wparse batch -n "$N" >/dev/null) & W=$!
for _ in $(seq 200); do port_open "$P" && break; sleep 0.05; done
t0=$(now); exec 4<>"/dev/tcp/127.0.0.1/$P"; cat "$WORK/lines" >&4; exec 4>&-; wait "$W"; t1=$(now)
tcp_s=$(echo "$t1 - $t0" | bc -l)
[ "$(wc -l < "$WORK/tcp/data/out_dat/b.kv")" -eq "$N" ] || echo "tcp: not every line stored" >&2

NP=$(free_port)
"$NATS_SERVER" -js -sd "$WORK/js" -a 127.0.0.1 -p "$NP" >/dev/null 2>&1 &
for _ in $(seq 100); do port_open "$NP" && break; sleep 0.1; done
nats_run() { # nats_run INSTANCES STREAM
  local i pids=() subj="s$2"
  for i in $(seq "$1"); do
    root "$WORK/n$2_$i" "[[sources]]
key = \"n\"
connect = \"nats_src\"
params = { url = \"nats://127.0.0.1:$NP\", stream = \"S$2\", subject = \"$subj.>\", durable = \"d\", idle_exit_sec = 2 }"
  done
  # create the stream and fill it before timing: one throwaway batch run creates the stream
  (cd "$WORK/n$2_1" && wparse batch -n 1 >/dev/null 2>&1) || true
  exec 5<>"/dev/tcp/127.0.0.1/$NP"; printf 'CONNECT {"verbose":false}\r\n' >&5
  awk -v n="$N" -v s="$subj.in" '{ printf "PUB %s %d\r\n%s\r\n", s, length($0), $0 }' "$WORK/lines" >&5
  printf 'PING\r\n' >&5; while IFS= read -r -t 60 r <&5; do case "$r" in PONG*) break ;; esac; done; exec 5>&-
  local t0 t1; t0=$(now)
  for i in $(seq "$1"); do (cd "$WORK/n$2_$i" && exec wparse batch >/dev/null) & pids+=($!); done
  wait "${pids[@]}"; t1=$(now)
  echo "$t1 - $t0 - 2" | bc -l   # minus the idle_exit_sec wait at the end
}
n1_s=$(nats_run 1 1); n2_s=$(nats_run 2 2)
rate() { echo "$N / $1" | bc -l | xargs printf '%.0f'; }
echo "lines: $N; load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "file_src       -> kv: $(rate "$file_s") lines/s"
echo "syslog_tcp_src -> kv: $(rate "$tcp_s") lines/s ($(echo "$file_s / $tcp_s" | bc -l | xargs printf '%.2f')x the file source)"
echo "nats_src x1    -> kv: $(rate "$n1_s") msgs/s"
echo "nats_src x2    -> kv: $(rate "$n2_s") msgs/s ($(echo "$n1_s / $n2_s" | bc -l | xargs printf '%.2f')x one instance)"
