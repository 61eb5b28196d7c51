#!/usr/bin/env bash
# Time from SIGTERM to exit of a daemon with the spam example filter connected (issue 9: the
# filter connections close as part of the drain instead of waiting out shutdownTimeoutSeconds).
#
# usage (from the repository root):
#   tests/bench/shutdown-with-filter.sh CLI_DIR SPAM_FILTER_DLL [RUNS]
#     CLI_DIR          folder holding butterfly.dll (dotnet build src/Butterfly.Cli -c Release)
#     SPAM_FILTER_DLL  Butterfly.Examples.SpamFilter.dll of the same build
# Binds 127.0.0.1 on a free port; every process is stopped by its PID. Not a test.
set -euo pipefail
cli=$(cd "$1" && pwd); spam=$2; runs=${3:-2}
source "$(dirname "$0")/common.sh"
bench_start bf-shutdown
for run in $(seq 1 "$runs"); do
  d="$work/run$run"; mkdir -p "$d"
  port=$(free_port)
  cat > "$d/butterfly.json" <<JSON
{ "listen": "127.0.0.1:$port", "metrics": { "listen": "127.0.0.1:0" }$(web_off "$cli"), "dataDirectory": "data", "domains": ["localhost"],
  "filters": [ { "name": "spam", "stages": ["inbound"], "onFailure": "tempfail" } ] }
JSON
  mkdir -p "$d/data"
  dotnet "$cli/butterfly.dll" serve --config "$d/butterfly.json" > "$d/serve.log" 2>&1 & pid=$!
  pids+=("$pid")
  wait_for "$d/serve.log" "listening on"
  dotnet "$spam" --socket "$d/data/filter.sock" --name spam --threshold 5 > "$d/filter.log" 2>&1 & fpid=$!
  pids+=("$fpid")
  wait_for "$d/filter.log" registered
  t0=$(date +%s.%N); kill -TERM "$pid"; wait "$pid" || true; t1=$(date +%s.%N)
  kill -TERM "$fpid" 2>/dev/null || true; wait "$fpid" 2>/dev/null || true
  python3 -c "print(f'run $run: SIGTERM to exit {$t1 - $t0:.2f} s')"
done
