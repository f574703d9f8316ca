#!/usr/bin/env bash
# Orchestration overhead (issue 3): 3 real Orleans silos x 4 slots in one process, the real grains and file grain
# storage, a simulated trainer holding each slot 100 ms. Reports slot utilisation, dispatch latency, wall time
# against ideal and zero-length cells/s, with same-run peers (no-op grain call, storage write) to read them by.
#   bench/orchestration.sh             3 held runs + 2 zero-length runs, about 2 minutes
#   bench/orchestration.sh --profile   also one profiled held run: every grain call and storage write timed
#   bench/orchestration.sh --tracing   also 3 held runs in a second process with tracing and metrics on (the SDK
#                                      recording every span and metric into counting exporters): the cost of telemetry
# Writes bench/results/orchestration.md. Extra options go to the benchmark (see bench/Orchestration/Program.cs).
set -euo pipefail
cd "$(dirname "$0")/.."
profile=false
tracing=false
args=()
for arg in "$@"; do
  case "$arg" in
    --profile) profile=true ;;
    --tracing) tracing=true ;;
    *) args+=("$arg") ;;
  esac
done

# The sweep's validation needs Fashion-MNIST in its standard place; setup.sh installs it.
[ -d /usr/share/datasets/fashion-mnist ] || build/setup.sh
dotnet build bench/Orchestration -c Release -nologo -clp:ErrorsOnly >/dev/null
bench_dll=bench/Orchestration/bin/Release/net10.0/CoS.Distributed.Orchestration.Bench.dll

mkdir -p bench/results
out=bench/results/orchestration.md
report="$(mktemp)"
dotnet "$bench_dll" --runs 3 --zero-runs 2 "${args[@]}" >"$report"
if $profile; then
  echo >>"$report"
  dotnet "$bench_dll" --runs 1 --zero-runs 0 --profile true "${args[@]}" \
    | sed -n '/^## Profile/,$p' | sed '1s/.*/## Profile of one more held run (a second process, with grain-call filters and timed storage)/' >>"$report"
fi
if $tracing; then
  echo >>"$report"
  dotnet "$bench_dll" --runs 3 --zero-runs 0 --tracing true "${args[@]}" \
    | sed -n '/Tracing and metrics on/{s/.*\*\*Tracing and metrics on\*\*: /> Tracing and metrics on: /;p};/^## [0-9]* cells of/,/^Against the ideal/p' \
    | sed '0,/^## /s/^## \(.*\)/## With tracing and metrics on, a second process: \1/' >>"$report"
fi
printf '\nMade by `bench/orchestration.sh%s`.\n' "${*:+ $*}" >>"$report"
mv "$report" "$out"
cat "$out"
