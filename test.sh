#!/usr/bin/env bash
# Runs every test of the project: installs prerequisites, builds warning-free, runs all test projects,
# and ends with the line "N passed, N failed, N skipped" computed from the test results.
set -uo pipefail
cd "$(dirname "$0")"

build/setup.sh || exit 1
export GLIBC_TUNABLES="glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=17179869184"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

results="$(mktemp -d)"
status=0
dotnet build CoS.Distributed.sln -c Release -nologo -clp:ErrorsOnly || status=$?
if [ $status -eq 0 ]; then
  dotnet test CoS.Distributed.sln -c Release --no-build -nologo \
    --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" || status=$?
fi
build/test-summary.sh "$results"
exit $status
