#!/usr/bin/env bash
# Push latency (issue 11): from a `send` acknowledgement to the message.added event at each
# subscribed session of the recipient, p50/p99, on loopback. One daemon on a fresh data folder,
# two accounts, then `butterfly bench push` (one send at a time; --watchers sessions of the
# recipient subscribed). Optionally with background load from `bench send` to a third account.
#
# usage (from the repository root):
#   dotnet build src/Butterfly.Cli -c Release
#   tests/bench/push-latency.sh CLI_DIR [COUNT] [WATCHERS] [LOAD_CLIENTS]
#     CLI_DIR       folder holding butterfly.dll (src/Butterfly.Cli/bin/Release/net10.0)
#     COUNT         sends measured (default 2000), after 100 warm-up sends
#     WATCHERS      subscribed sessions of the recipient (default 2)
#     LOAD_CLIENTS  connections of `bench send` running meanwhile to another account (default 0: none)
# Binds 127.0.0.1 on a free port; every process is stopped by its PID. Not a test.
set -euo pipefail
cli=$(cd "$1" && pwd); count=${2:-2000}; watchers=${3:-2}; load=${4:-0}
source "$(dirname "$0")/common.sh"
bench_start bf-push
port=$(free_port)
cat > "$work/butterfly.json" <<JSON
{ "listen": "127.0.0.1:$port", "metrics": { "listen": "127.0.0.1:0" }$(web_off "$cli"), "dataDirectory": "data", "domains": ["localhost"],
  "passwords": { "cost": 10 } }
JSON
for user in alice bob carol; do
  echo "$user-password" | dotnet "$cli/butterfly.dll" user add "$user@localhost" --password-stdin --config "$work/butterfly.json" > /dev/null
done
dotnet "$cli/butterfly.dll" serve --config "$work/butterfly.json" > "$work/serve.log" 2>&1 & pids+=("$!")
wait_for "$work/serve.log" "listening on"
export BUTTERFLY_SERVER=127.0.0.1:$port
if [ "$load" -gt 0 ]; then
  BUTTERFLY_USER=carol@localhost BUTTERFLY_PASSWORD=carol-password \
    dotnet "$cli/butterfly.dll" bench send --clients "$load" --size 10240 --duration 600 --to carol@localhost > "$work/load.log" 2>&1 & pids+=("$!")
fi
# Under load, a longer warm-up lets the background senders connect and reach their pace first.
warmup=100
[ "$load" -gt 0 ] && warmup=1000
BUTTERFLY_USER=alice@localhost BUTTERFLY_PASSWORD=alice-password BUTTERFLY_TO_PASSWORD=bob-password \
  dotnet "$cli/butterfly.dll" bench push --to bob@localhost --count "$count" --watchers "$watchers" --warmup "$warmup"
