#!/usr/bin/env bash
# Unpipelined PING against Redis (issue 16: "bench ping unpipelined at 1.0x Redis or better"):
# 50 clients with one request in flight each, Butterfly's `bench ping --pipeline 1` and
# `redis-benchmark -t ping -P 1` (its PING_MBULK line) in alternating rounds. Prints per round and
# as medians the throughput and the server's CPU time per request (from /proc/PID/stat), which a
# shared machine disturbs far less than throughput.
#
# usage (from the repository root):
#   tests/bench/ping1-vs-redis.sh [BUILD_DIR] [ROUNDS] [SECONDS] [REDIS_REQUESTS]
#     BUILD_DIR       folder holding butterfly.dll (default src/Butterfly.Cli/bin/Release/net10.0)
#     ROUNDS          rounds of each (default 5); SECONDS per Butterfly run (default 10)
#     REDIS_REQUESTS  requests per redis-benchmark run (default 1,000,000)
# Passwords are hashed at the test cost (50 logins at the
# production cost take long on a loaded machine; the pings are measured, not the logins). Needs Debian's redis-server and redis-tools (apt-get install redis-server redis-tools). Both
# servers bind 127.0.0.1 on a free port and are stopped by their PID. Not a test: run by hand.
set -euo pipefail

build=$(cd "${1:-src/Butterfly.Cli/bin/Release/net10.0}" && pwd)
rounds=${2:-5}
seconds=${3:-10}
redis_requests=${4:-1000000}
[ -f "$build/butterfly.dll" ] || { echo "no butterfly.dll in $build" >&2; exit 2; }
command -v redis-server >/dev/null && command -v redis-benchmark >/dev/null \
  || { echo "needs redis-server and redis-benchmark (apt-get install redis-server redis-tools)" >&2; exit 2; }

source "$(dirname "$0")/common.sh"
bench_start bf-ping-redis

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
us_per() { python3 -c 'import sys; print(round(int(sys.argv[1]) / 100 * 1e6 / max(1, float(sys.argv[2])), 2))' "$1" "$2"; }

butterfly_round() {
  local dir="$work/bf-$1" port pid ticks json
  port=$(free_port)
  mkdir -p "$dir"
  cat > "$dir/butterfly.json" <<JSON
{ "listen": "127.0.0.1:$port", "metrics": { "listen": "127.0.0.1:0" }, "dataDirectory": "data", "domains": ["localhost"],
  "passwords": { "cost": 4, "allowWeakHashingForTests": true },
  "logging": { "LogLevel": { "Default": "Warning" } } }
JSON
  echo 'bench-password' | dotnet "$build/butterfly.dll" user add alice@localhost --config "$dir/butterfly.json" --password-stdin >/dev/null
  dotnet "$build/butterfly.dll" serve --config "$dir/butterfly.json" > "$dir/serve.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  wait_for "$dir/serve.log" "butterfly: listening on"
  ticks=$(cpu_ticks "$pid")
  json=$(BUTTERFLY_PASSWORD=bench-password dotnet "$build/butterfly.dll" bench ping --server "127.0.0.1:$port" \
    --user alice@localhost --clients 50 --pipeline 1 --duration "$seconds" --json)
  ticks=$(( $(cpu_ticks "$pid") - ticks ))
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  local rate requests
  rate=$(echo "$json" | python3 -c 'import json,sys; print(round(json.load(sys.stdin)["throughput"]))')
  requests=$(echo "$json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["requests"])')
  echo "butterfly $rate $(us_per "$ticks" "$requests")"
}

redis_round() {
  local port pid ticks rate
  port=$(free_port)
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no > "$work/redis-$1.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  wait_for "$work/redis-$1.log" "Ready to accept connections"
  ticks=$(cpu_ticks "$pid")
  rate=$(redis-benchmark -h 127.0.0.1 -p "$port" -t ping_mbulk -c 50 -P 1 -n "$redis_requests" --csv \
    | awk -F'"' '/PING_MBULK/ { print int($4) }')
  ticks=$(( $(cpu_ticks "$pid") - ticks ))
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  echo "redis $rate $(us_per "$ticks" "$redis_requests")"
}

results="$work/results"
: > "$results"
for round in $(seq 1 "$rounds"); do
  if [ $((round % 2)) -eq 1 ]; then order="butterfly redis"; else order="redis butterfly"; fi
  for which in $order; do
    "${which}_round" "$round" | tee -a "$results"
  done
done

python3 - "$results" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
med = {}
print()
print(f"{'server':<11}{'median/s':>12}{'min/s':>12}{'max/s':>12}{'CPU us/request':>16}")
for name in ("butterfly", "redis"):
    rates = [float(r[1]) for r in rows if r[0] == name]
    cpu = [float(r[2]) for r in rows if r[0] == name]
    med[name] = statistics.median(rates)
    print(f"{name:<11}{med[name]:>12,.0f}{min(rates):>12,.0f}{max(rates):>12,.0f}{statistics.median(cpu):>16.2f}")
print(f"butterfly/redis (median throughput): {med['butterfly'] / med['redis']:.2f}")
PY
