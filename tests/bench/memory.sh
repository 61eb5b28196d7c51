#!/usr/bin/env bash
# The memory figures of issue 10 ("Proof under fire"): starts a daemon from a Release build and
# runs `butterfly bench memory` against it, which reports the daemon's resident memory (VmRSS,
# VmHWM from /proc/PID/status) before, during and after each attack:
#   prelogin   200 connections each send all but the last byte of a maximum-size frame, before login
#   postlogin  the same after logging in
#   backlog    3 logged-in clients request a 20 MB message 2,000 times and never read
#   idle       (only when asked: --scenario idle --connections N) N logged-in connections that say
#              nothing more; prints the resident memory they added per connection, read at the end
#              of the hold (e.g. `-- --scenario idle --connections 3000 --hold 30`)
#
# usage (from the repository root):
#   tests/bench/memory.sh [DAEMON_DIR] [PROBE_DIR] [-- BENCH_MEMORY_ARGS...]
#     DAEMON_DIR  folder holding the daemon's butterfly.dll (default src/Butterfly.Cli/bin/Release/net10.0,
#                 after `dotnet build src/Butterfly.Cli -c Release`); may be an older build ("before")
#     PROBE_DIR   folder holding the butterfly.dll whose `bench memory` probes (default: the same)
#     BENCH_MEMORY_ARGS  passed on, e.g. --scenario backlog --hold 30 --stop-above-mb 4096
#   MEMORY_ENV="DOTNET_GCConserveMemory=5 ..." sets environment variables for the daemon only;
#   MEMORY_LIMITS='"key": value, ...' replaces the limits it sets (empty: none, for older builds).
# The daemon binds 127.0.0.1 on a free port, hashes passwords at the test cost (memory, not
# hashing, is measured) and is stopped by its PID. Not a test: run by hand (STYLE.md, habit 16).
set -euo pipefail

root=$(pwd)
dirs=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do dirs+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift
daemon_dir=$(cd "${dirs[0]:-src/Butterfly.Cli/bin/Release/net10.0}" && pwd)
probe_dir=$(cd "${dirs[1]:-$daemon_dir}" && pwd)
for dir in "$daemon_dir" "$probe_dir"; do
  [ -f "$dir/butterfly.dll" ] || { echo "no butterfly.dll in $dir" >&2; exit 2; }
done

source "$root/tests/bench/common.sh"
bench_start bf-memory

port=$(free_port)
# Every attack connection comes from 127.0.0.1: the per-address cap (64) would refuse most of them
# before they cost anything, so it is lifted to measure what 200 connections that do get in cost
# (an attack from many addresses), and the server-wide cap with it so that the idle scenario can
# hold thousands. MEMORY_LIMITS= (empty) for a build older than that key.
limits=${MEMORY_LIMITS-'"maxConnectionsPerAddress": 10000, "maxConnections": 10000'}
limits_line=""
[ -n "$limits" ] && limits_line="\"limits\": { $limits },"
cat > "$work/butterfly.json" <<JSON
{ "listen": "127.0.0.1:$port", "metrics": { "listen": "127.0.0.1:0" }$(web_off "$daemon_dir"), "dataDirectory": "data", "domains": ["bench.example"],
  $limits_line
  "passwords": { "cost": 4, "allowWeakHashingForTests": true },
  "logging": { "LogLevel": { "Default": "Warning" } } }
JSON
echo 'bench-password' | dotnet "$daemon_dir/butterfly.dll" user add alice@bench.example --config "$work/butterfly.json" --password-stdin >/dev/null
env ${MEMORY_ENV:-} dotnet "$daemon_dir/butterfly.dll" serve --config "$work/butterfly.json" > "$work/serve.log" 2>&1 &
pid=$!
pids+=("$pid")
wait_for "$work/serve.log" "butterfly: listening on"
echo "daemon: $daemon_dir/butterfly.dll, pid $pid, port $port${MEMORY_ENV:+, env $MEMORY_ENV}" >&2

BUTTERFLY_PASSWORD=bench-password dotnet "$probe_dir/butterfly.dll" bench memory \
  --pid "$pid" --server "127.0.0.1:$port" --user alice@bench.example "$@"
