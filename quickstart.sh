#!/usr/bin/env bash
# The quickstart: installs what it needs (Fashion-MNIST and a font from Debian's packages, NuGet packages),
# builds the cos tool and runs sweeps/quickstart.yaml in embedded mode: 15 training runs (small CNN, ReLU / Swish /
# CoS, 5 seeds), then the report and plots in reports/quickstart/. Extra arguments go to `cos run`.
# Ctrl-C stops cleanly; running it again resumes.
set -euo pipefail
cd "$(dirname "$0")"
build/setup.sh --run
export GLIBC_TUNABLES="glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=17179869184"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build src/Client -c Release -nologo -clp:ErrorsOnly
exec dotnet src/Client/bin/Release/net10.0/cos.dll run sweeps/quickstart.yaml "$@"
