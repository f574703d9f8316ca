#!/usr/bin/env bash
# Prints "N passed, N failed, N skipped" summed over the TRX files in a folder (the dotnet test results).
set -euo pipefail
dir="${1:?usage: test-summary.sh RESULTS_DIR}"
shopt -s nullglob
files=("$dir"/*.trx)
if [ ${#files[@]} -eq 0 ]; then
  echo "0 passed, 1 failed, 0 skipped"
  echo "test-summary.sh: no test results in $dir (did the build fail?)" >&2
  exit 0
fi
grep -ho '<Counters [^>]*>' "${files[@]}" | awk '
  { for (i = 1; i <= NF; i++) { split($i, kv, "="); gsub(/[^0-9]/, "", kv[2]); c[kv[1]] += kv[2] } }
  END { printf "%d passed, %d failed, %d skipped\n", c["passed"], c["failed"] + c["error"] + c["timeout"] + c["aborted"], c["notExecuted"] + c["inconclusive"] }'
