#!/usr/bin/env bash
# Installs what the project needs on a Debian/Ubuntu machine, skipping whatever is already there.
#   build/setup.sh            data set, fonts, Prometheus and Azurite (everything the tests need)
#   build/setup.sh --run      data set and fonts only (the quickstart: no storage emulator needed)
#   build/setup.sh --bench    also PyTorch 1.13 from Debian (the benchmark's peer)
set -euo pipefail

want_bench=false
want_azurite=true
for arg in "$@"; do
  case "$arg" in
    --bench) want_bench=true ;;
    --run) want_azurite=false ;;
    *) echo "setup.sh: unknown option '$arg' (use --run, --bench or nothing)" >&2; exit 1 ;;
  esac
done

if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup.sh: the .NET 10 SDK is not on PATH; install it (https://dot.net) and run again." >&2
  exit 1
fi

packages=()
[ -d /usr/share/datasets/fashion-mnist ] || packages+=(dataset-fashion-mnist)
# Without a font ScottPlot writes the plots' PNGs with no text at all, and says nothing.
if [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] && ! { command -v fc-list >/dev/null 2>&1 && fc-list | grep -q 'DejaVu Sans'; }; then
  packages+=(fonts-dejavu-core)
fi
# The metrics tests and deploy/local scrape the silos with a real Prometheus (and check its rules with promtool).
if $want_azurite && { [ ! -x /usr/bin/prometheus ] || [ ! -x /usr/bin/promtool ]; }; then
  packages+=(prometheus)
fi
if $want_bench; then
  /usr/bin/python3 -c 'import torch, torchvision' >/dev/null 2>&1 || packages+=(python3-torch python3-torchvision)
fi

if [ ${#packages[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup.sh: needs the Debian packages ${packages[*]} but apt-get is not available." >&2
    case " ${packages[*]} " in *" dataset-fashion-mnist "*)
      echo "  Fashion-MNIST: put train-images-idx3-ubyte.gz and friends in a folder and pass its path instead." >&2 ;;
    esac
    case " ${packages[*]} " in *" prometheus "*)
      echo "  Metrics tests: install Prometheus 2.42 or newer so that prometheus and promtool are in /usr/bin." >&2 ;;
    esac
    case " ${packages[*]} " in *" fonts-dejavu-core "*)
      echo "  Plots: install a font (DejaVu Sans, Liberation Sans or Noto Sans) with the system's package manager." >&2 ;;
    esac
    exit 1
  fi
  echo "setup.sh: installing ${packages[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi

# Azurite, the storage emulator the tests start, is pinned in tests/Azurite and runs on Node.js.
azurite="$(cd "$(dirname "$0")/.." && pwd)/tests/Azurite"
if $want_azurite && [ ! -d "$azurite/node_modules/azurite" ]; then
  if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
    echo "setup.sh: the tests need Azurite, which installs with npm and runs on Node.js (20 or newer), and npm or node is not on PATH." >&2
    echo "  Install them (Debian: apt-get install nodejs npm) and run again." >&2
    exit 1
  fi
  echo "setup.sh: installing Azurite (tests/Azurite)"
  npm ci --prefix "$azurite" --no-audit --no-fund
fi
