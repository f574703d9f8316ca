#!/usr/bin/env bash
# A real multi-silo cluster on one machine: Azurite (Azure Storage emulator) plus silo processes, each with
# its own ports, sharing Azure Table membership and Azure Blob grain state and checkpoints.
#   deploy/local/cluster.sh start [WORKERS] [SLOTS_PER_WORKER]   (default 2 workers x 2 CPU slots, plus a 0-slot coordinator)
#   deploy/local/cluster.sh stop
# State, logs and PIDs go to .cos-cluster/ in the repository root.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dir="$root/.cos-cluster"
connection="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;"

# Sets free to a loopback port nothing listens on, from $1 upwards, and not handed out before in this run (a silo
# started a moment ago may not listen yet). Not a subshell, so that the ports handed out are remembered.
taken=" "
free=""
free_port() {
  free="$1"
  while [[ "$taken" == *" $free "* ]] || (exec 3<>"/dev/tcp/127.0.0.1/$free") 2>/dev/null; do free=$((free + 1)); done
  taken+="$free "
}

# deploy/prometheus/prometheus.yml with these silos' targets, and its rules next to it; then Prometheus itself.
start_prometheus() {
  local targets="$1"
  mkdir -p "$dir/prometheus"
  cp "$root"/deploy/prometheus/*.rules.yml "$dir/prometheus/"
  sed -E "s|^([[:space:]]*- targets: )\[.*\]$|\1[$targets]|" "$root/deploy/prometheus/prometheus.yml" > "$dir/prometheus/prometheus.yml"
  free_port 9090
  /usr/bin/prometheus --config.file="$dir/prometheus/prometheus.yml" --storage.tsdb.path="$dir/prometheus/data" \
    --web.listen-address="127.0.0.1:$free" > "$dir/prometheus.log" 2>&1 &
  echo $! > "$dir/prometheus.pid"
  echo "started prometheus (pid $!): http://127.0.0.1:$free (config $dir/prometheus/prometheus.yml)"
}

start() {
  local workers="${1:-2}" slots="${2:-2}"
  "$root/build/setup.sh"
  mkdir -p "$dir/azurite"
  dotnet build "$root/src/Silo" -c Release -nologo -clp:ErrorsOnly >/dev/null
  node "$root/tests/Azurite/node_modules/azurite/dist/src/azurite.js" --blobHost 127.0.0.1 --queueHost 127.0.0.1 \
    --tableHost 127.0.0.1 --location "$dir/azurite" --silent --disableTelemetry --skipApiVersionCheck --loose \
    > "$dir/azurite.log" 2>&1 &
  echo $! > "$dir/azurite.pid"
  export GLIBC_TUNABLES="glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=17179869184"
  local silo="$root/src/Silo/bin/Release/net10.0/CoS.Distributed.Silo.dll" targets=
  for i in $(seq 0 "$workers"); do
    local n=$([ "$i" -eq 0 ] && echo 0 || echo "$slots") name=$([ "$i" -eq 0 ] && echo coordinator || echo "worker-$i")
    free_port $((9464 + i))
    local metrics_port="$free"
    dotnet "$silo" --Cos:Mode=Cluster --Cos:SiloName="$name" --Cos:StorageConnectionString="$connection" \
      --Cos:SiloPort=$((11111 + i)) --Cos:GatewayPort=$((30000 + i)) --Cos:Slots:CpuSlots="$n" \
      --Cos:Telemetry:PrometheusHost=127.0.0.1 --Cos:Telemetry:PrometheusPort="$metrics_port" \
      > "$dir/$name.log" 2>&1 &
    echo $! > "$dir/$name.pid"
    echo "started $name (pid $!, silo port $((11111 + i)), gateway $((30000 + i)), $n slots, metrics http://127.0.0.1:$metrics_port/metrics)"
    targets+="${targets:+, }\"127.0.0.1:$metrics_port\""
  done
  start_prometheus "$targets"
  echo "storage connection string: $connection"
}

stop() {
  local pids=() pid
  # Azurite last: a silo handing its cells back and leaving the membership table needs storage to do it.
  for pidfile in "$dir"/*.pid; do
    [ -e "$pidfile" ] && [ "$(basename "$pidfile")" != azurite.pid ] || continue
    pid="$(cat "$pidfile")"
    kill -TERM "$pid" 2>/dev/null && pids+=("$pid")
    rm -f "$pidfile"
  done
  for _ in $(seq 1 60); do
    local running=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && running=1; done
    [ "$running" -eq 0 ] && break
    sleep 0.5
  done
  if [ -e "$dir/azurite.pid" ]; then
    kill -TERM "$(cat "$dir/azurite.pid")" 2>/dev/null || true
    rm -f "$dir/azurite.pid"
  fi
  echo "stopped Prometheus, the silos and Azurite (silos hand their running cells back on SIGTERM; state stays in $dir)"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) stop ;;
  *) echo "usage: $0 start [WORKERS] [SLOTS_PER_WORKER] | stop" >&2; exit 1 ;;
esac
