# Shared by the usecase scripts (sourced, not run). Bash 3.2 compatible.
# Finds the tools (PATH first, then the repository's dist/bin) and moves into the usecase folder.
USECASE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$USECASE_DIR/../../.." && pwd)"
cd "$USECASE_DIR"

LINE_CNT="${LINE_CNT:-10000}"
STAT_SEC="${STAT_SEC:-3}"

if ! command -v wparse >/dev/null 2>&1 && [ -x "$REPO_DIR/dist/bin/wparse" ]; then
  PATH="$REPO_DIR/dist/bin:$PATH"
fi
for tool in wparse wprescue wproj wpgen; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "$(basename "$0"): $tool not found on PATH or in $REPO_DIR/dist/bin — run ./build.sh first" >&2
    exit 2
  fi
done

# step TITLE: prints a banner so the output reads as a story.
step() { printf '\n== %s\n' "$1"; }

# fail MESSAGE: an expectation did not hold.
fail() { echo "$(basename "$0"): FAILED: $1" >&2; exit 1; }

# rescue_count SUFFIX: how many rescue files end in SUFFIX (.dat or .dat.lock).
rescue_count() {
  local n=0 f
  for f in data/rescue/*"$1"; do
    [ -e "$f" ] && n=$((n + 1))
  done
  echo "$n"
}
