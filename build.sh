#!/usr/bin/env bash
# wp build entry point.
#   ./build.sh          restore, build and publish the four tools into dist/bin/
#   ./build.sh test     publish, then run every test (unit + end-to-end); prints "tests: N passed, N failed"
#   ./build.sh demo     publish, then run the sink_recovery usecase end to end
#   ./build.sh bench    publish, then run the benchmark harness (bench/run.sh [--peers] [LINES] [RUNS])
#   ./build.sh micro    run the BenchmarkDotNet micro benchmarks (bench/Wp.Bench; args go to BenchmarkDotNet)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DIST="$ROOT/dist/bin"
CONFIG="${CONFIG:-Release}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# How the tools are compiled (measured with bench/ab.sh and hyperfine, 10^6-line bench):
#  - Native AOT (default): one native executable per tool. wproj --help 100 -> 5 ms, wproj stat file
#    150 -> 18 ms; wparse file->kv 2.67 -> 2.15 s wall, 103 -> 67 MiB peak RSS (no JIT at run time).
#    Needs clang and lld; installed with apt-get when missing and running as root.
#  - ReadyToRun (NATIVE_AOT=false, or when no clang can be had): framework-dependent, precompiled
#    IL; wproj --help 130 -> 80 ms against plain JIT. READY_TO_RUN=false as well gives plain IL.
RID="${RID:-$(dotnet --info 2>/dev/null | awk '/^ *RID:/ {print $2; exit}')}"
aot_toolchain() {
  command -v clang >/dev/null && command -v ld.lld >/dev/null && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "build: installing clang and lld for Native AOT (Debian packages)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq clang lld >/dev/null 2>&1 ||
      { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq clang lld >/dev/null 2>&1; } || true
  fi
  command -v clang >/dev/null && command -v ld.lld >/dev/null
}
# The database servers the e2e tests start (throwaway instances on loopback, never a system service):
# PostgreSQL, MariaDB, ClickHouse from Debian, installed when missing and running as root. A
# temporary policy-rc.d keeps the packages' own services from starting during the install.
db_servers() {
  local missing=()
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  [ -x /usr/sbin/mariadbd ] || missing+=(mariadb-server)
  [ -x /usr/bin/clickhouse-server ] || missing+=(clickhouse-server)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "build: installing ${missing[*]} for the database tests (Debian packages)" >&2
    export DEBIAN_FRONTEND=noninteractive
    local policy=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && policy=yes
    fi
    apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 ||
      { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1; } || true
    [ -n "$policy" ] && rm -f /usr/sbin/policy-rc.d
  fi
  return 0
}
publish() {
  local p mode=()
  if [ -n "$RID" ] && [ "${NATIVE_AOT:-true}" = true ] && aot_toolchain; then
    mode=(-r "$RID" -p:PublishAot=true)
  elif [ -n "$RID" ] && [ "${READY_TO_RUN:-true}" = true ]; then
    [ "${NATIVE_AOT:-true}" = true ] && echo "build: no clang/lld for Native AOT; publishing ReadyToRun" >&2
    mode=(-r "$RID" --self-contained false -p:PublishReadyToRun=true)
  fi
  rm -rf "$DIST" # no leftovers of the other publish mode
  for p in Wparse Wprescue Wproj Wpgen; do
    dotnet publish "$ROOT/src/Wp.Cli.$p/Wp.Cli.$p.csproj" -c "$CONFIG" -o "$DIST" --nologo -v quiet ${mode[@]+"${mode[@]}"}
  done
  # WarpParse's newer scripts call the project tool wpadm: the same executable under that name.
  ln -sf wproj "$DIST/wpadm"
}

run_tests() {
  local results="$ROOT/artifacts/test-results"
  rm -rf "$results"
  mkdir -p "$results"
  local rc=0
  WP_BIN="$DIST" dotnet test "$ROOT/Wp.sln" -c "$CONFIG" --nologo \
    --logger "trx" --results-directory "$results" "$@" || rc=$?
  # Sum the counters of every test project's TRX report into the one closing line CI reads.
  local passed=0 failed=0 skipped=0 f
  for f in "$results"/*.trx; do
    [ -f "$f" ] || continue
    local counters
    counters=$(grep -o '<Counters [^>]*>' "$f" | head -n 1)
    passed=$((passed + $(printf '%s' "$counters" | sed -n 's/.* passed="\([0-9]*\)".*/\1/p')))
    failed=$((failed + $(printf '%s' "$counters" | sed -n 's/.* failed="\([0-9]*\)".*/\1/p')))
    skipped=$((skipped + $(printf '%s' "$counters" | sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p')))
  done
  if [ "$skipped" -gt 0 ]; then
    echo "tests: $passed passed, $failed failed, $skipped skipped"
  else
    echo "tests: $passed passed, $failed failed"
  fi
  return "$rc"
}

cmd="${1:-build}"
[ $# -gt 0 ] && shift
case "$cmd" in
  build) publish; echo "tools published to $DIST" ;;
  test) db_servers; publish; run_tests "$@" ;;
  demo) publish; PATH="$DIST:$PATH" "$ROOT/usecase/core/sink_recovery/run.sh" ;;
  bench) publish; PATH="$DIST:$PATH" "$ROOT/bench/run.sh" "$@" ;;
  micro)
    # Results land in BenchmarkDotNet.Artifacts/results/ (the *-report-github.md files are the summary).
    (cd "$ROOT" && WP_ROOT="$ROOT" dotnet run -c Release --project bench/Wp.Bench/Wp.Bench.csproj -- "$@") ;;
  *) echo "usage: ./build.sh [build|test|demo|bench|micro]" >&2; exit 2 ;;
esac
