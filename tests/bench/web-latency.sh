#!/usr/bin/env bash
# The web client's figures (issue 13, closing note), in headless Debian Chromium on loopback:
#   - page weight (bytes transferred, from the Performance API's transferSize/encodedBodySize) and time
#     to interactive (navigation start to the login form drawn, body[data-ready]) of a first load with
#     an empty cache; the same for a reload that resumes the session and lists the mailbox;
#   - latency from the `send` acknowledgement to the message's row appearing in the recipient's open
#     page, p50/p99 over COUNT sends (one at a time, after WARMUP), clocks mapped as WebLatency/Program.cs
#     explains.
# Starts a daemon (web client on a free port) on a fresh data folder with alice and bob, then runs
# tests/bench/WebLatency. Needs chromium and chromium-driver (Debian).
#
# usage (from the repository root):
#   dotnet build src/Butterfly.Cli -c Release && dotnet build tests/bench/WebLatency -c Release
#   tests/bench/web-latency.sh [CLI_DIR] [COUNT] [WARMUP]
#     CLI_DIR  folder holding butterfly.dll (default src/Butterfly.Cli/bin/Release/net10.0)
#     COUNT    sends measured (default 100); WARMUP sends first (default 10)
# Binds 127.0.0.1 on free ports; every process is stopped by its PID. Not a test.
set -euo pipefail
root=$(pwd)
cli=$(cd "${1:-src/Butterfly.Cli/bin/Release/net10.0}" && pwd)
count=${2:-100}; warmup=${3:-10}
bench=$root/tests/bench/WebLatency/bin/Release/net10.0/WebLatency.dll
[ -f "$cli/butterfly.dll" ] || { echo "no butterfly.dll in $cli" >&2; exit 2; }
[ -f "$bench" ] || { echo "no $bench: dotnet build tests/bench/WebLatency -c Release" >&2; exit 2; }
source "$root/tests/bench/common.sh"
bench_start bf-web-latency
port=$(free_port); web=$(free_port)
cat > "$work/butterfly.json" <<JSON
{ "listen": "127.0.0.1:$port", "metrics": { "listen": "127.0.0.1:0" }, "web": { "listen": "127.0.0.1:$web" },
  "dataDirectory": "data", "domains": ["localhost"], "passwords": { "cost": 4, "allowWeakHashingForTests": true } }
JSON
for user in alice bob; do
  echo "$user-password" | dotnet "$cli/butterfly.dll" user add "$user@localhost" --password-stdin --config "$work/butterfly.json" > /dev/null
done
dotnet "$cli/butterfly.dll" serve --config "$work/butterfly.json" > "$work/serve.log" 2>&1 & pids+=("$!")
wait_for "$work/serve.log" "listening on"
wait_for "$work/serve.log" "Web client on"
dotnet "$bench" "http://127.0.0.1:$web/" "127.0.0.1:$port" alice@localhost alice-password bob@localhost bob-password "$count" "$warmup"
