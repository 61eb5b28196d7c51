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
for run in $(seq 1 "$runs"); do
  d=$(mktemp -d /tmp/bf-shutdown.XXXXXX)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
  cat > "$d/butterfly.json" <<JSON
{ "listen": "127.0.0.1:$port", "dataDirectory": "data", "domains": ["localhost"],
  "filters": [ { "name": "spam", "stages": ["inbound"], "onFailure": "tempfail" } ] }
JSON
  mkdir -p "$d/data"
  dotnet "$cli/butterfly.dll" serve --config "$d/butterfly.json" > "$d/serve.log" 2>&1 & pid=$!
  for _ in $(seq 100); do grep -q "listening on" "$d/serve.log" && break; sleep 0.1; done
  dotnet "$spam" --socket "$d/data/filter.sock" --name spam --threshold 5 > "$d/filter.log" 2>&1 & fpid=$!
  for _ in $(seq 100); do grep -q registered "$d/filter.log" && break; sleep 0.1; done
  t0=$(date +%s.%N); kill -TERM "$pid"; wait "$pid" || true; t1=$(date +%s.%N)
  kill -TERM "$fpid" 2>/dev/null || true; wait "$fpid" 2>/dev/null || true
  python3 -c "print(f'run $run: SIGTERM to exit {$t1 - $t0:.2f} s')"
  rm -rf "$d"
done
