#!/usr/bin/env bash
# Database sink benchmark (issue 10): rows/s of wp into PostgreSQL, MariaDB and ClickHouse against
# each database's own bulk loader on the same rows, in the same run; and wprescue replaying 10^5
# rescued rows into PostgreSQL.
#
# Usage: bench/db.sh [ROWS] [RUNS]     (defaults 200000 3; env BULK_BATCH, default 8192; BENCH_BIN). Needs dist/bin (./build.sh) and the
# Debian packages postgresql, mariadb-server, clickhouse-server (+ clickhouse-client); run as root
# (PostgreSQL runs as user postgres, MariaDB as mysql). Throwaway servers on 127.0.0.1, temp folders.
#
#   wp      wparse batch (read + WPL parse + OML + typed rows) into the table, create_table = true,
#           with the default batch_size (1024) and with batch_size = BULK_BATCH (each batch is one
#           statement, whose fixed server cost a bigger batch spreads: a bulk load's setting)
#           and once more with batch_size = BULK_BATCH and a 64 MiB young generation
#           (DOTNET_GCgen0size=4000000, the bulk-load setting of docs/configuration.md)
#   loader  psql \copy FROM CSV | LOAD DATA LOCAL INFILE | clickhouse-client INSERT FORMAT CSV,
#           of the same rows (already split into columns: the loader does no parsing)
#   replay  wprescue batch of 10^5 rescue entries into PostgreSQL (wparse ran with the server down),
#           both settings (checkpoint_every_lines = batch_size: a replay batch never spans a checkpoint)
# Each figure is the median of RUNS, each run into a fresh (truncated) table.
set -euo pipefail
[ -n "${EPOCHREALTIME:-}" ] || { echo "bench: needs bash 5 (EPOCHREALTIME)" >&2; exit 2; }
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
ROWS="${1:-200000}"
RUNS="${2:-3}"
REPLAY_ROWS="${REPLAY_ROWS:-100000}"
BULK_BATCH="${BULK_BATCH:-8192}"
PATH="${BENCH_BIN:-$ROOT/dist/bin}:$PATH" # BENCH_BIN=DIR: the tools in DIR instead (e.g. an earlier build, for a before/after)
for tool in wparse wprescue psql mariadb clickhouse-client; do
  command -v "$tool" >/dev/null || { echo "bench/db.sh: $tool not found" >&2; exit 2; }
done
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
T="$(mktemp -d /tmp/wp-bench-db.XXXXXX)"
chmod 755 "$T"
free_port() { local p; for _ in $(seq 1 50); do p=$((20000 + RANDOM % 30000)); (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }; done; exit 1; }
PG_PORT="$(free_port)"; MY_PORT="$(free_port)"; CH_PORT="$(free_port)"; CH_TCP="$(free_port)"
MY_PID=""; CH_PID=""
cleanup() {
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$T/pg" -m fast -w stop >/dev/null 2>&1 || true
  [ -n "$MY_PID" ] && kill "$MY_PID" 2>/dev/null || true
  [ -n "$CH_PID" ] && kill "$CH_PID" 2>/dev/null || true
  sleep 1
  rm -rf "$T"
}
trap cleanup EXIT
now() { echo "${EPOCHREALTIME/,/.}"; }
median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

echo "bench/db.sh: $ROWS rows, $RUNS runs; servers in $T" >&2
# --- servers
mkdir -p "$T/pgsock" && chown postgres "$T" "$T/pgsock"
runuser -u postgres -- "$PG_BIN/initdb" -D "$T/pg" -U postgres --auth=trust -E UTF8 --no-sync >/dev/null
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$T/pg" -l "$T/pg.log" -w -o "-p $PG_PORT -k $T/pgsock -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off" start >/dev/null
psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE wp" >/dev/null
mkdir -p "$T/my" && chown mysql:mysql "$T/my"
mariadb-install-db --no-defaults --datadir="$T/my/data" --user=mysql --auth-root-authentication-method=normal --skip-test-db >/dev/null 2>&1
mariadbd --no-defaults --datadir="$T/my/data" --user=mysql --port="$MY_PORT" --bind-address=127.0.0.1 --socket="$T/my/sock" \
  --skip-grant-tables --skip-log-bin --innodb-flush-log-at-trx-commit=2 --innodb-buffer-pool-size=256M --local-infile=1 --skip-name-resolve >"$T/my.log" 2>&1 &
MY_PID=$!
mkdir -p "$T/ch/data" "$T/ch/tmp" "$T/ch/log" "$T/ch/uf"
cat > "$T/ch/users.xml" <<'XML'
<yandex><profiles><default></default></profiles><users><default><password></password><networks><ip>::/0</ip></networks><profile>default</profile><quota>default</quota></default></users><quotas><default></default></quotas></yandex>
XML
cat > "$T/ch/config.xml" <<XML
<yandex><logger><level>warning</level><log>$T/ch/log/s.log</log><errorlog>$T/ch/log/e.log</errorlog><console>0</console></logger>
<http_port>$CH_PORT</http_port><tcp_port>$CH_TCP</tcp_port><listen_host>127.0.0.1</listen_host><timezone>UTC</timezone>
<path>$T/ch/data/</path><tmp_path>$T/ch/tmp/</tmp_path><user_files_path>$T/ch/uf/</user_files_path><users_config>$T/ch/users.xml</users_config>
<default_profile>default</default_profile><default_database>default</default_database><mark_cache_size>268435456</mark_cache_size></yandex>
XML
clickhouse-server --config-file="$T/ch/config.xml" >"$T/ch.log" 2>&1 &
CH_PID=$!
for _ in $(seq 1 150); do mariadb --no-defaults -h 127.0.0.1 -P "$MY_PORT" -u root -e "CREATE DATABASE IF NOT EXISTS wp" 2>/dev/null && break; sleep 0.2; done
for _ in $(seq 1 150); do clickhouse-client --port "$CH_TCP" -q "CREATE DATABASE IF NOT EXISTS wp" 2>/dev/null && break; sleep 0.2; done
pg() { psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d wp -qtAc "$1"; }
my() { mariadb --no-defaults -h 127.0.0.1 -P "$MY_PORT" -u root --local-infile=1 -N -e "$1" wp; }
ch() { clickhouse-client --port "$CH_TCP" -q "$1"; }

# --- data: the same rows as nginx log lines (for wp) and as CSV columns (for the loaders)
gen() { awk -v n="$1" -v csv="$2" 'BEGIN { for (i = 1; i <= n; i++) {
  ip = sprintf("10.%d.%d.%d", int(i / 65536) % 256, int(i / 256) % 256, i % 256)
  if (csv) printf "%s,2019-08-06 04:12:19,GET /item/%d HTTP/1.1,200,%d,http://example.com/,Mozilla/5.0 (X11; Linux x86_64) Firefox/121.0,file_1\n", ip, i, i
  else printf "%s - - [06/Aug/2019:12:12:19 +0800] \"GET /item/%d HTTP/1.1\" 200 %d \"http://example.com/\" \"Mozilla/5.0 (X11; Linux x86_64) Firefox/121.0\" \"-\"\n", ip, i, i } }'; }
gen "$ROWS" 0 > "$T/lines.dat"
gen "$ROWS" 1 > "$T/rows.csv"

# --- a work root per database: the db_recovery usecase with its sink pointed at that database
workroot() { # NAME CONNECT ENDPOINT [BATCH]
  local w="$T/work-$1"
  rm -rf "$w"; mkdir -p "$w"
  cp -r "$ROOT/usecase/core/db_recovery/conf" "$ROOT/usecase/core/db_recovery/models" "$ROOT/usecase/core/db_recovery/sink" "$w/"
  sed -i 's/^speed_limit .*/speed_limit = 0/; s/^idle_exit_sec .*/idle_exit_sec = 0.2/' "$w/conf/wparse.toml"
  if [ -n "${4:-}" ]; then
    sed -i "s|^on_error .*|&\nbatch_size = $4|" "$w/sink/business.d/nginx.toml"
    sed -i "s|^checkpoint_every_lines .*|checkpoint_every_lines = $4|" "$w/conf/wparse.toml"
  fi
  sed -i "s|connect = \"postgres_sink\"|connect = \"$2\"|; s|^endpoint .*|endpoint = \"$3\"|; s|^username .*|username = \"\"|; s|^password .*|password = \"\"|" "$w/sink/business.d/nginx.toml"
  mkdir -p "$w/data/in_dat"; ln -sf "$T/lines.dat" "$w/data/in_dat/gen.dat"
  echo "$w"
}
WPG="$(workroot pg postgres_sink "127.0.0.1:$PG_PORT")"
WMY="$(workroot my mysql_sink "127.0.0.1:$MY_PORT")"
WCH="$(workroot ch clickhouse_sink "http://127.0.0.1:$CH_PORT")"
WPGB="$(workroot pg-bulk postgres_sink "127.0.0.1:$PG_PORT" "$BULK_BATCH")"
WMYB="$(workroot my-bulk mysql_sink "127.0.0.1:$MY_PORT" "$BULK_BATCH")"
WCHB="$(workroot ch-bulk clickhouse_sink "http://127.0.0.1:$CH_PORT" "$BULK_BATCH")"
# The same bulk loads with the young generation docs/configuration.md advises for them (work roots named *-bulkgc).
WPGG="$(workroot pg-bulkgc postgres_sink "127.0.0.1:$PG_PORT" "$BULK_BATCH")"
WMYG="$(workroot my-bulkgc mysql_sink "127.0.0.1:$MY_PORT" "$BULK_BATCH")"
WCHG="$(workroot ch-bulkgc clickhouse_sink "http://127.0.0.1:$CH_PORT" "$BULK_BATCH")"
BULK_GC="DOTNET_GCgen0size=4000000"
# Create each table once through wp (create_table), so the loader fills the very same table.
for w in "$WPG" "$WMY" "$WCH"; do (cd "$w" && wparse batch --max-line 10 >/dev/null 2>&1 || true); done
COLS="sip, time_clf, http_request, http_status, digit, chars, http_agent, wp_src_key"

timed() { local s e; s=$(now); "$@" >/dev/null 2>>"$T/errors.log"; e=$(now); awk -v s="$s" -v e="$e" -v n="$ROWS" 'BEGIN { printf "%.0f\n", n / (e - s) }'; }
# Peak RSS (KiB) of every wparse run of a work root is appended to <work root>.rss.
wp_run() {
  local gc=(); [[ "$1" == *-bulkgc ]] && gc=("$BULK_GC")
  (cd "$1" && rm -rf data/rescue logs && env "${gc[@]}" /usr/bin/time -a -o "$1.rss" -f "%M" wparse batch --from-start)
}
peak_mib() { sort -n "$1.rss" | tail -n 1 | awk '{ printf "%.0f", $1 / 1024 }'; }
declare -A R
count_check() { # NAME ACTUAL
  [ "$2" = "$ROWS" ] || echo "bench: $1 wp rows $2 != $ROWS" >&2
}
for run in $(seq 1 "$RUNS"); do
  for v in "" b g; do # default batch_size, then BULK_BATCH, then BULK_BATCH with BULK_GC
    w="WPG${v^^}"; pg "TRUNCATE nginx"; R[pg_wp$v]+="$(timed wp_run "${!w}") "; count_check postgres "$(pg 'SELECT count(*) FROM nginx')"
    w="WMY${v^^}"; my "TRUNCATE nginx"; R[my_wp$v]+="$(timed wp_run "${!w}") "; count_check mariadb "$(my 'SELECT count(*) FROM nginx')"
    w="WCH${v^^}"; ch "TRUNCATE TABLE wp.nginx"; R[ch_wp$v]+="$(timed wp_run "${!w}") "; count_check clickhouse "$(ch 'SELECT count() FROM wp.nginx')"
  done
  pg "TRUNCATE nginx"; R[pg_ld]+="$(timed psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d wp -qc "\\copy nginx ($COLS) FROM '$T/rows.csv' CSV") "
  my "TRUNCATE nginx"; R[my_ld]+="$(timed my "LOAD DATA LOCAL INFILE '$T/rows.csv' INTO TABLE nginx FIELDS TERMINATED BY ',' ($COLS)") "
  ch "TRUNCATE TABLE wp.nginx"; R[ch_ld]+="$(timed sh -c "clickhouse-client --port $CH_TCP -q 'INSERT INTO wp.nginx ($COLS) FORMAT CSV' < '$T/rows.csv'") "
done

# --- replay: REPLAY_ROWS rescued entries into PostgreSQL, with each setting
head -n "$REPLAY_ROWS" "$T/lines.dat" > "$T/replay.dat"
for v in "" b; do
  w="WPG${v^^}"; w="${!w}"
  ln -sf "$T/replay.dat" "$w/data/in_dat/gen.dat"
  for run in $(seq 1 "$RUNS"); do
    (cd "$w" && rm -rf data/rescue logs)
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$T/pg" -m fast -w stop >/dev/null
    (cd "$w" && wparse batch --from-start >/dev/null 2>&1) || true
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$T/pg" -l "$T/pg.log" -w -o "-p $PG_PORT -k $T/pgsock -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off" start >/dev/null
    pg "TRUNCATE nginx"
    rescued=$(cat "$w"/data/rescue/*.dat | wc -l)
    touch -d '-2 minutes' "$w"/data/rescue/*.dat # past wprescue's wait for a file to be stable
    s=$(now); (cd "$w" && wprescue batch >/dev/null 2>>"$T/errors.log") || true; e=$(now)
    # wprescue batch waits idle_exit_sec (0.2 s) with nothing left before it exits: not counted.
    R[replay$v]+="$(awk -v s="$s" -v e="$e" -v n="$rescued" 'BEGIN { printf "%.0f\n", n / (e - s - 0.2) }') "
    [ "$(pg 'SELECT count(*) FROM nginx')" = "$rescued" ] || echo "bench: replay rows != $rescued" >&2
  done
done
[ -s "$T/errors.log" ] && { echo "bench: errors:" >&2; head -20 "$T/errors.log" >&2; }

m() { echo "${R[$1]}" | tr ' ' '\n' | grep . | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo
echo "| database | wp rows/s, batch 1024 | wp rows/s, batch $BULK_BATCH | … with 64 MiB gen0 | bulk loader | loader rows/s | wp / loader (1024) | wp / loader ($BULK_BATCH) | … with 64 MiB gen0 | wp peak RSS MiB (1024 / $BULK_BATCH / 64 MiB gen0) |"
echo "|---|---:|---:|---:|---|---:|---:|---:|---:|---:|"
row() { # LABEL KEY LOADER WORKROOT BULK_WORKROOT BULK_GC_WORKROOT
  echo "| $1 | $(m "${2}_wp") | $(m "${2}_wpb") | $(m "${2}_wpg") | $3 | $(m "${2}_ld") | $(ratio "$(m "${2}_wp")" "$(m "${2}_ld")") | $(ratio "$(m "${2}_wpb")" "$(m "${2}_ld")") | $(ratio "$(m "${2}_wpg")" "$(m "${2}_ld")") | $(peak_mib "$4") / $(peak_mib "$5") / $(peak_mib "$6") |"
}
row "PostgreSQL $(pg 'SHOW server_version' | cut -d' ' -f1)" pg 'psql \copy CSV' "$WPG" "$WPGB" "$WPGG"
row "MariaDB $(my 'SELECT VERSION()' | cut -d- -f1)" my 'LOAD DATA LOCAL INFILE' "$WMY" "$WMYB" "$WMYG"
row "ClickHouse $(ch 'SELECT version()')" ch 'clickhouse-client FORMAT CSV' "$WCH" "$WCHB" "$WCHG"
echo
echo "replay: wprescue batch, $REPLAY_ROWS rescued rows into PostgreSQL: $(m replay) rows/s (batch 1000 = checkpoint_every_lines), $(m replayb) rows/s (batch and checkpoint $BULK_BATCH)"
echo "($ROWS rows, median of $RUNS runs; wp = wparse batch reading and parsing the log lines, the loaders read pre-split CSV)"
