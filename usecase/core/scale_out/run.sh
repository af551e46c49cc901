#!/usr/bin/env bash
# Scale-out over NATS JetStream (see README.md): a throwaway nats-server, two wparse instances on one
# durable consumer, LINE_CNT generated lines published to the stream, one instance killed with
# kill -9 and restarted; then every line must be in the outputs (a line written but not yet
# acknowledged when the kill came may be there twice: counted, and bounded by the redeliveries).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO_DIR="$(cd "$HERE/../../.." && pwd)"
LINE_CNT="${LINE_CNT:-20000}"
if ! command -v wparse >/dev/null 2>&1 && [ -x "$REPO_DIR/dist/bin/wparse" ]; then PATH="$REPO_DIR/dist/bin:$PATH"; fi
command -v wparse >/dev/null || { echo "scale_out: wparse not found; run ./build.sh first" >&2; exit 2; }
NATS_SERVER="$(command -v nats-server || echo /usr/sbin/nats-server)"
[ -x "$NATS_SERVER" ] || { echo "scale_out: nats-server not found (apt-get install nats-server)" >&2; exit 2; }

step() { printf '\n== %s\n' "$1"; }
fail() { echo "scale_out: FAILED: $1" >&2; exit 1; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/wp-scale-out.XXXXXX")"
PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ "${KEEP_WORK:-0}" = 1 ] || rm -rf "$WORK"
}
trap cleanup EXIT

step "JetStream server on a free loopback port"
PORT=$((20000 + RANDOM % 30000))
while port_open "$PORT"; do PORT=$((PORT + 1)); done
"$NATS_SERVER" -js -sd "$WORK/js" -a 127.0.0.1 -p "$PORT" >"$WORK/nats.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do port_open "$PORT" && break; sleep 0.1; done
port_open "$PORT" || fail "nats-server did not start (see $WORK/nats.log)"
export WP_NATS_URL="nats://127.0.0.1:$PORT"
echo "nats-server -js on $WP_NATS_URL"

# start_instance NAME: wparse daemon in its own work root; its pid in INSTANCE_PID.
start_instance() {
  (cd "$WORK/$1" && exec wparse daemon >>"$WORK/$1.out" 2>&1) &
  INSTANCE_PID=$!
  PIDS+=("$INSTANCE_PID")
}

step "two wparse instances, one durable consumer"
for name in a b; do
  mkdir -p "$WORK/$name"
  cp -R "$HERE/template/." "$WORK/$name/"
done
start_instance a; PID_A=$INSTANCE_PID
start_instance b; PID_B=$INSTANCE_PID
for _ in $(seq 200); do
  grep -q "pulling from durable consumer" "$WORK/a/logs/wparse.log" 2>/dev/null &&
    grep -q "pulling from durable consumer" "$WORK/b/logs/wparse.log" 2>/dev/null && break
  sleep 0.1
done
grep -q "pulling from durable consumer" "$WORK/a/logs/wparse.log" || fail "instance a did not reach the consumer"
echo "instances a (pid $PID_A) and b (pid $PID_B) pull from stream LOGS (created by whichever started first)"

step "publish $LINE_CNT generated lines"
# The NATS text protocol over bash's /dev/tcp: PUB to a subject of the stream, then PING/PONG so
# the server has every message before we go on.
exec 3<>"/dev/tcp/127.0.0.1/$PORT"
printf 'CONNECT {"verbose":false,"pedantic":false}\r\n' >&3
awk -v n="$LINE_CNT" 'BEGIN { for (i = 0; i < n; i++) { m = i " scale-out line " i; printf "PUB logs.in %d\r\n%s\r\n", length(m), m } }' >&3
printf 'PING\r\n' >&3
while IFS= read -r -t 30 reply <&3; do case "$reply" in PONG*) break ;; esac; done
exec 3>&-
echo "published $LINE_CNT lines to logs.in"

stored() { cat "$WORK"/a/data/out_dat/scale.json "$WORK"/b/data/out_dat/scale.json 2>/dev/null | grep -c '"seq":' || true; }
distinct() { cat "$WORK"/a/data/out_dat/scale.json "$WORK"/b/data/out_dat/scale.json 2>/dev/null | grep -o '"seq":[0-9]*' | sort -u | wc -l | tr -d ' '; }

step "kill -9 instance a mid-run, then restart it"
for _ in $(seq 600); do [ "$(stored)" -ge $((LINE_CNT / 3)) ] && break; sleep 0.05; done
kill -9 "$PID_A"
wait "$PID_A" 2>/dev/null || true
echo "killed a at $(stored) stored lines; its unacknowledged messages go back to the consumer after ack_wait"
start_instance a; PID_A=$INSTANCE_PID

step "wait for every line"
for _ in $(seq 1200); do [ "$(distinct)" -ge "$LINE_CNT" ] && break; sleep 0.1; done
kill -TERM "$PID_A" "$PID_B"
wait "$PID_A" "$PID_B" || fail "an instance did not stop cleanly (see $WORK/a.out, $WORK/b.out)"

step "validate"
total="$(stored)"
unique="$(distinct)"
missing=$((LINE_CNT - unique))
twice=$((total - unique))
# Redeliveries: the "net" row of each instance's final table ("conn N drop N cut N redeliv N").
redelivered=$(cat "$WORK/a.out" "$WORK/b.out" | awk '$1 == "net" && $2 == "bus" { for (i = 3; i < NF; i++) if ($i == "redeliv") s += $(i + 1) } END { print s + 0 }')
count_a=$(grep -c '"seq":' "$WORK/a/data/out_dat/scale.json" || true)
count_b=$(grep -c '"seq":' "$WORK/b/data/out_dat/scale.json" || true)
echo "lines sent $LINE_CNT; stored by a $count_a, by b $count_b; distinct $unique; missing $missing; stored twice $twice; redelivered $redelivered"
[ "$missing" -eq 0 ] || fail "$missing lines missing"
[ "$twice" -le "$redelivered" ] || fail "$twice lines stored twice but only $redelivered redelivered"
echo "scale_out: OK (every line stored; $twice stored twice after kill -9, within the $redelivered redelivered)"
