#!/usr/bin/env bash
# The interrupt/recovery story against a real PostgreSQL:
#   1. start a throwaway PostgreSQL (temp data folder, free port on 127.0.0.1, as user postgres when root)
#   2. wparse batch writes LINE_CNT nginx lines into table nginx; the server is stopped mid-run
#      (pg_ctl stop -m fast) and started again: the batches meanwhile go to rescue files
#   3. check rows + rescued entries = lines, and at least one rescue file
#   4. wprescue batch replays them: rows = lines, no duplicate, rescue folder empty
# The server and its folder are removed at exit. Exits non-zero when an expectation fails.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO_DIR="$(cd "$HERE/../../.." && pwd)"
cd "$HERE"
LINE_CNT="${LINE_CNT:-20000}"
if ! command -v wparse >/dev/null 2>&1 && [ -x "$REPO_DIR/dist/bin/wparse" ]; then PATH="$REPO_DIR/dist/bin:$PATH"; fi
for tool in wparse wprescue wproj; do
  command -v "$tool" >/dev/null 2>&1 || { echo "run.sh: $tool not found (run ./build.sh first)" >&2; exit 2; }
done
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -x "$PG_BIN/initdb" ] || { echo "run.sh: PostgreSQL not installed (./build.sh test installs it)" >&2; exit 2; }

step() { printf '\n== %s\n' "$1"; }
fail() { echo "run.sh: FAILED: $1" >&2; exit 1; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

PG_DIR="$(mktemp -d /tmp/wp-usecase-pg.XXXXXX)"
chmod 755 "$PG_DIR"
[ "$(id -u)" = 0 ] && chown postgres "$PG_DIR"
# A free port: nothing answers on it (bash's /dev/tcp; no other tool needed).
PORT=""
for _ in $(seq 1 50); do
  p=$((20000 + RANDOM % 30000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then PORT=$p; break; fi
done
[ -n "$PORT" ] || fail "no free port found"
pg_start() { as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -o "-p $PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null; }
pg_stop() { as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true; }
sql() { as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d "${2:-wp}" -tAc "$1"; }
WPARSE_PID=""
cleanup() {
  [ -n "$WPARSE_PID" ] && kill "$WPARSE_PID" 2>/dev/null || true
  pg_stop
  rm -rf "$PG_DIR"
}
trap cleanup EXIT

step "start a throwaway PostgreSQL on 127.0.0.1:$PORT"
as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --no-sync >/dev/null
pg_start
sql "CREATE DATABASE wp" postgres >/dev/null
export WP_PG_ENDPOINT="127.0.0.1:$PORT" WP_PG_PASSWORD="unused-with-trust-auth"

step "wproj check --probe"
wproj check --probe

step "clean and generate $LINE_CNT nginx lines (each with its own byte count)"
wproj data clean --rescue >/dev/null
mkdir -p data/in_dat
awk -v n="$LINE_CNT" 'BEGIN { for (i = 1; i <= n; i++) printf "10.%d.%d.%d - - [06/Aug/2019:12:12:19 +0800] \"GET /item/%d HTTP/1.1\" 200 %d \"-\" \"Mozilla/5.0 (X11; Linux x86_64) Firefox/121.0\" \"-\"\n", int(i / 65536) % 256, int(i / 256) % 256, i % 256, i, i }' > data/in_dat/gen.dat

step "wparse batch; the server is stopped mid-run and started again"
wparse batch --stat 2 -p > data/wparse.out 2>&1 &
WPARSE_PID=$!
rows() { sql "SELECT count(*) FROM nginx" 2>/dev/null || echo 0; }
for _ in $(seq 1 300); do [ "$(rows)" -ge $((LINE_CNT / 5)) ] && break; sleep 0.1; done
echo "rows before the outage: $(rows)"
pg_stop
echo "server stopped"
for _ in $(seq 1 300); do ls data/rescue/pg_nginx-*.dat.lock >/dev/null 2>&1 && break; sleep 0.1; done
ls data/rescue/pg_nginx-*.dat.lock >/dev/null 2>&1 || fail "no rescue file was opened while the server was down"
sleep 1
pg_start
echo "server started"
wait "$WPARSE_PID" || fail "wparse exited non-zero (see data/wparse.out)"
WPARSE_PID=""
ROWS="$(rows)"
RESCUED="$(cat data/rescue/pg_nginx-*.dat 2>/dev/null | grep -c . || true)"
FILES="$(ls data/rescue/pg_nginx-*.dat 2>/dev/null | wc -l)"
echo "rows $ROWS + rescued $RESCUED = $((ROWS + RESCUED)) of $LINE_CNT, in $FILES rescue file(s)"
[ "$FILES" -ge 1 ] || fail "expected at least one rescue file"
[ $((ROWS + RESCUED)) -eq "$LINE_CNT" ] || fail "rows + rescued != $LINE_CNT"

step "wprescue batch"
wprescue batch
ROWS="$(rows)"
DISTINCT="$(sql "SELECT count(DISTINCT digit) FROM nginx")"
echo "rows $ROWS, distinct byte counts $DISTINCT"
[ "$ROWS" -eq "$LINE_CNT" ] || fail "rows != $LINE_CNT after wprescue"
[ "$DISTINCT" -eq "$LINE_CNT" ] || fail "duplicates after wprescue"
ls data/rescue/*.dat >/dev/null 2>&1 && fail "rescue files left after wprescue"
echo
echo "db_recovery: OK"
