#!/usr/bin/env bash
# Filter bench: `butterfly bench send` throughput against a Release daemon with 0, 1 and 3
# pass-through filters on the inbound stage (the spam example with --pass: it answers "accept"
# without parsing, so the figures show what the socket round trip and the chain cost).
#
# usage (from the repository root): tests/Butterfly.Filters.Tests/Bench/filter-bench.sh [RUNS] [SECONDS]
#   RUNS     runs per configuration (default 3)
#   SECONDS  duration of each run (default 10)
# Prints one line per run and a summary; every daemon and filter is started on loopback and
# stopped by its PID. Not a test: run it by hand (STYLE.md, habit 16).
set -euo pipefail
cd "$(dirname "$0")/../../.."

runs=${1:-3}
seconds=${2:-10}
port=${BENCH_PORT:-7471}
clients=${BENCH_CLIENTS:-32}
size=${BENCH_SIZE:-10240}

dotnet build src/Butterfly.Cli -c Release -v q -nologo >/dev/null
dotnet build src/Examples/Butterfly.Examples.SpamFilter -c Release -v q -nologo >/dev/null
cli=src/Butterfly.Cli/bin/Release/net10.0/butterfly.dll
pass=src/Examples/Butterfly.Examples.SpamFilter/bin/Release/net10.0/Butterfly.Examples.SpamFilter.dll

source tests/bench/common.sh
bench_start bf-filter-bench

declare -A results
for filters in 0 1 3; do
  for run in $(seq 1 "$runs"); do
    dir="$work/f$filters-r$run"
    mkdir -p "$dir"
    list=""
    for i in $(seq 1 "$filters"); do
      list+="${list:+,}{\"name\":\"pass$i\",\"stages\":[\"inbound\"],\"timeoutSeconds\":5,\"onFailure\":\"tempfail\"}"
    done
    cat > "$dir/butterfly.json" <<JSON
{
  "listen": "127.0.0.1:$port", "metrics": { "listen": "127.0.0.1:0" },
  "dataDirectory": "data",
  "domains": ["localhost"],
  "passwords": { "cost": 4, "allowWeakHashingForTests": true },
  "logging": { "LogLevel": { "Default": "Warning" } },
  "filterSocket": { "path": "filter.sock" },
  "filters": [$list]
}
JSON
    echo 'bench-password' | dotnet "$cli" user add bench@localhost --password-stdin --config "$dir/butterfly.json" >/dev/null
    dotnet "$cli" serve --config "$dir/butterfly.json" >"$dir/daemon.log" 2>&1 &
    daemon=$!; pids+=("$daemon")
    wait_for "$dir/daemon.log" "listening on"
    filter_pids=()
    for i in $(seq 1 "$filters"); do
      dotnet "$pass" --pass --socket "$dir/data/filter.sock" --name "pass$i" >"$dir/pass$i.log" 2>&1 &
      filter_pids+=($!); pids+=($!)
      wait_for "$dir/pass$i.log" "registered"
    done

    out=$(BUTTERFLY_SERVER=127.0.0.1:$port BUTTERFLY_USER=bench@localhost BUTTERFLY_PASSWORD=bench-password \
      dotnet "$cli" bench send --clients "$clients" --size "$size" --duration "$seconds" --json)
    rate=$(printf '%s' "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(round(d.get("throughput", 0)))')
    errors=$(printf '%s' "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get("errors", 0))')
    # A message a filter failed on is held (onFailure tempfail): count them, they are not pass-through work.
    held=$(grep -c "held for a retry" "$dir/daemon.log" || true)
    echo "filters=$filters run=$run throughput=$rate msg/s errors=$errors held=$held"
    results[$filters]+="$rate "

    for pid in "${filter_pids[@]}"; do kill -TERM "$pid"; wait "$pid" || true; done
    kill -TERM "$daemon"; wait "$daemon" || true
    pids=()
  done
done

echo
for filters in 0 1 3; do
  echo "filters=$filters: ${results[$filters]}msg/s"
done
