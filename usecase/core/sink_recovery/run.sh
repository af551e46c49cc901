#!/usr/bin/env bash
# The whole sink interruption and recovery story: case_interrupt.sh, then case_recovery.sh,
# closing with the validation headline (the scripts exit non-zero before it if anything failed).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
"$HERE/case_interrupt.sh"
"$HERE/case_recovery.sh"
. "$HERE/env.sh"
summary="$(wproj validate sink-file)"
printf '\n%s\n' "${summary%%$'\n'*}"
