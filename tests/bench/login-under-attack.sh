#!/usr/bin/env bash
# A legitimate user's login latency under attack (issue 10, "Slots and guesses"): `butterfly bench
# login` times LOGINS logins of alice@localhost from 127.0.0.1, each on a new connection and retried
# on server.busy as a client would, against a fresh daemon per scenario (default settings: bcrypt
# cost 11, 1,024 connections, the shipped abuse limits), while
#   idle       nothing else happens (the baseline);
#   flood      FLOOD idle connections from 127.0.0.2 are kept open (each reopened when closed);
#   guess1     32 guessers from one address (127.0.0.3) send wrong passwords for victim@localhost;
#   guess32    32 guessers from 32 addresses (127.0.0.3 to .34) do the same;
#   guessself  32 guessers from 32 addresses guess alice@localhost herself (the per-account
#              penalty then slows her too: by design it slows, never locks out).
# Prints one line per scenario: p50, p99 and max latency in ms, failed logins, retries, guesses per second.
#
# usage (from the repository root):
#   dotnet build src/Butterfly.Cli -c Release
#   tests/bench/login-under-attack.sh [BUILD_DIR] [LOGINS]
#     BUILD_DIR  folder holding butterfly.dll (default src/Butterfly.Cli/bin/Release/net10.0)
#     LOGINS     timed logins per scenario (default 50)
#   FLOOD=1100 sets the flood's size (default 1000); SCENARIOS="idle flood" picks scenarios.
# The same command against another build's folder gives its figures (the configuration it writes
# uses no key that builds before the abuse limits lack); for a build without `bench login`, point
# BENCH_TOOL at a folder whose butterfly.dll has it (the load tool; the daemon is BUILD_DIR's).
# Not a test: run by hand (STYLE.md, habit 16).
set -euo pipefail

build=$(cd "${1:-src/Butterfly.Cli/bin/Release/net10.0}" && pwd)
logins=${2:-50}
flood=${FLOOD:-1000}
scenarios=${SCENARIOS:-"idle flood guess1 guess32 guessself"}
[ -f "$build/butterfly.dll" ] || { echo "no butterfly.dll in $build" >&2; exit 2; }

source "$(dirname "$0")/common.sh"
bench_start bf-login-attack
cli="dotnet $build/butterfly.dll"
tool="dotnet $(cd "${BENCH_TOOL:-$build}" && pwd)/butterfly.dll"
export BUTTERFLY_PASSWORD=bench-password

# start_daemon DIR: a fresh data folder with alice and victim, serving on a free port; sets $pid and $port.
start_daemon() {
  local dir=$1
  port=$(free_port)
  mkdir -p "$dir"
  cat > "$dir/butterfly.json" <<JSON
{ "listen": "127.0.0.1:$port", "metrics": { "listen": "127.0.0.1:0" }$(web_off "$build"), "dataDirectory": "data", "domains": ["localhost"],
  "logging": { "LogLevel": { "Default": "Warning" } } }
JSON
  for user in alice victim; do
    echo "$BUTTERFLY_PASSWORD" | $cli user add "$user@localhost" --config "$dir/butterfly.json" --password-stdin >/dev/null
  done
  $cli serve --config "$dir/butterfly.json" > "$dir/serve.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  wait_for "$dir/serve.log" "butterfly: listening on"
}

printf '%-10s %10s %10s %10s %7s %8s %10s\n' scenario p50_ms p99_ms max_ms failed retries guesses/s
for scenario in $scenarios; do
  start_daemon "$work/$scenario"
  args=(bench login --server "127.0.0.1:$port" --user alice@localhost --from 127.0.0.1 --logins "$logins" --json)
  case "$scenario" in
    idle)      ;;
    flood)     args+=(--flood "$flood" --flood-from 127.0.0.2) ;;
    guess1)    args+=(--guessers 32 --guess-user victim@localhost --guess-from 127.0.0.3 --guess-addresses 1) ;;
    guess32)   args+=(--guessers 32 --guess-user victim@localhost --guess-from 127.0.0.3 --guess-addresses 32) ;;
    guessself) args+=(--guessers 32 --guess-user alice@localhost --guess-from 127.0.0.3 --guess-addresses 32) ;;
    *) echo "unknown scenario $scenario" >&2; exit 2 ;;
  esac
  json=$($tool "${args[@]}" || true)
  echo "$json" | python3 -c '
import json, sys
r = json.loads(sys.stdin.read() or "{}")
l = r.get("latencyMs", {})
rate = r.get("guesses", 0) / max(r.get("seconds", 1), 0.001)
print("%-10s %10s %10s %10s %7s %8s %10.1f" % (sys.argv[1], l.get("p50"), l.get("p99"), l.get("max"), r.get("failed"), r.get("retries"), rate))
' "$scenario"
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
done
