#!/usr/bin/env bash
# Training throughput and peak memory: TorchSharp (this project) against PyTorch 1.13 (Debian python3-torch)
# on the same CIFAR ShuffleNetV2 x1.0 step, batch 128, 32x32, 2 threads, ReLU / Swish / CoS.
# Alternates the two frameworks within every round (the machine is shared and noisy) and reports medians and
# TorchSharp/PyTorch ratios. One process per measurement, so peak RSS belongs to one configuration.
#   bench/training-throughput.sh [ROUNDS]          (default 3; results also go to bench/results/)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-3}"
model=shufflenet_v2_x1_0
common=(--model "$model" --batch 128 --threads 2 --warmup 3 --steps 12)

build/setup.sh --bench
dotnet build bench/Training -c Release -nologo -clp:ErrorsOnly >/dev/null
bench_dll=bench/Training/bin/Release/net10.0/CoS.Distributed.Training.Bench.dll
export GLIBC_TUNABLES="glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=17179869184"

raw="$(mktemp)"
for round in $(seq 1 "$rounds"); do
  for activation in relu swish cos; do
    if [ $((round % 2)) -eq 1 ]; then order=(torchsharp pytorch); else order=(pytorch torchsharp); fi
    for framework in "${order[@]}"; do
      if [ "$framework" = torchsharp ]; then
        dotnet "$bench_dll" "${common[@]}" --activation "$activation" | tee -a "$raw"
      else
        /usr/bin/python3 bench/pytorch_peer.py "${common[@]}" --activation "$activation" | tee -a "$raw"
      fi
    done
  done
  # CoS from elementary ops in TorchSharp: what the custom autograd function saves.
  dotnet "$bench_dll" "${common[@]}" --activation 'x*sigmoid(x) + (sigmoid(5*x) - 0.5)^2' \
    | sed 's/activation=[^ ]*/activation=cos-formula/' | tee -a "$raw"
done

mkdir -p bench/results
out="bench/results/training-throughput.md"
{
  echo "# Training throughput, $model, batch 128, 32x32, 2 threads"
  echo
  echo "$(date -u +%Y-%m-%d), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $rounds rounds, medians."
  echo "TorchSharp 0.107.0 (LibTorch 2.10) vs PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'); GLIBC_TUNABLES set for both."
  echo
  awk '
    { f = ""; a = ""; ips = ""; mem = ""
      for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "framework") f = kv[2]; if (kv[1] == "activation") a = kv[2];
        if (kv[1] == "images_per_s") ips = kv[2]; if (kv[1] == "peak_rss_mib") mem = kv[2] }
      if (f == "") next
      key = f SUBSEP a; n[key]++; speed[key, n[key]] = ips; peak[key, n[key]] = mem; acts[a] = 1 }
    function median(arr, key, count,   i, j, t, v) {
      for (i = 1; i <= count; i++) v[i] = arr[key, i] + 0
      for (i = 1; i <= count; i++) for (j = i + 1; j <= count; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
      return count % 2 ? v[(count + 1) / 2] : (v[count / 2] + v[count / 2 + 1]) / 2 }
    END {
      print "| activation | TorchSharp img/s | PyTorch img/s | ratio | TorchSharp peak MiB | PyTorch peak MiB |"
      print "|---|---|---|---|---|---|"
      split("relu swish cos cos-formula", order, " ")
      for (o = 1; o <= 4; o++) { a = order[o]; if (!(a in acts)) continue
        t = "torchsharp" SUBSEP a; p = "pytorch" SUBSEP a
        ts = n[t] ? median(speed, t, n[t]) : 0; ps = n[p] ? median(speed, p, n[p]) : 0
        tm = n[t] ? median(peak, t, n[t]) : 0; pm = n[p] ? median(peak, p, n[p]) : 0
        printf "| %s | %.1f | %s | %s | %.0f | %s |\n", a, ts, ps ? sprintf("%.1f", ps) : "-", ps ? sprintf("%.2f", ts / ps) : "-", tm, pm ? sprintf("%.0f", pm) : "-" } }' "$raw"
} | tee "$out"
rm -f "$raw"
