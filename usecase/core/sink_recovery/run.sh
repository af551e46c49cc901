#!/usr/bin/env bash
# The whole sink interruption and recovery story: case_interrupt.sh, then case_recovery.sh.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
"$HERE/case_interrupt.sh"
"$HERE/case_recovery.sh"
