#!/usr/bin/env bash
# A metrics scrape during `bench send` (issue 15, "See what it does"): one daemon on a fresh data folder
# with /metrics on a free loopback port, `bench send` to an account for a while, and two scrapes WINDOW
# seconds apart in the middle of it. Prints each Butterfly series that moved between the scrapes (its
# delta, and per second), the gauges as the second scrape saw them, and bench send's own summary.
#
# usage (from the repository root):
#   dotnet build src/Butterfly.Cli -c Release
#   tests/bench/metrics-during-load.sh CLI_DIR [CLIENTS] [WINDOW]
#     CLI_DIR  folder holding butterfly.dll (src/Butterfly.Cli/bin/Release/net10.0)
#     CLIENTS  connections of bench send (default 32), 10 KiB messages
#     WINDOW   seconds between the two scrapes (default 10); the load runs WINDOW + 10 s
# Binds 127.0.0.1 on free ports; every process is stopped by its PID. Not a test.
set -euo pipefail
cli=$(cd "$1" && pwd); clients=${2:-32}; window=${3:-10}
source "$(dirname "$0")/common.sh"
bench_start bf-metrics-load
port=$(free_port); metrics=$(free_port)
cat > "$work/butterfly.json" <<JSON
{ "listen": "127.0.0.1:$port", "dataDirectory": "data", "domains": ["localhost"],
  "passwords": { "cost": 10 }, "metrics": { "listen": "127.0.0.1:$metrics" }$(web_off "$cli") }
JSON
echo "alice-password" | dotnet "$cli/butterfly.dll" user add alice@localhost --password-stdin --config "$work/butterfly.json" > /dev/null
dotnet "$cli/butterfly.dll" serve --config "$work/butterfly.json" > "$work/serve.log" 2>&1 & pids+=("$!")
wait_for "$work/serve.log" "listening on"
BUTTERFLY_SERVER=127.0.0.1:$port BUTTERFLY_USER=alice@localhost BUTTERFLY_PASSWORD=alice-password \
  dotnet "$cli/butterfly.dll" bench send --clients "$clients" --size 10240 --duration $((window + 10)) --to alice@localhost > "$work/load.log" 2>&1 & load=$!
pids+=("$load")
sleep 5   # the senders connect and reach their pace
curl -fsS "http://127.0.0.1:$metrics/metrics" > "$work/first.prom"
sleep "$window"
curl -fsS "http://127.0.0.1:$metrics/metrics" > "$work/second.prom"
curl -fsS "http://127.0.0.1:$metrics/healthz" > "$work/health.txt" || true
wait "$load" || true
python3 - "$work/first.prom" "$work/second.prom" "$window" <<'PY'
import sys
def read(path):
    samples = {}
    for line in open(path):
        line = line.strip()
        if not line or line.startswith('#'):
            continue
        key, value = line.rsplit(' ', 1) if '}' not in line else (line[:line.rindex('}') + 1], line[line.rindex('}') + 1:].split()[0])
        samples[key.strip()] = float(value)
    return samples
first, second, window = read(sys.argv[1]), read(sys.argv[2]), float(sys.argv[3])
print(f"moved between two scrapes {window:g} s apart (delta, per second):")
for key in sorted(second):
    if not key.startswith('butterfly_') or key.endswith('_bucket') or '_bucket{' in key:
        continue
    if any(g in key for g in ('butterfly_queue_', 'butterfly_sessions_active', 'butterfly_push_', 'butterfly_store_room')):
        continue
    delta = second[key] - first.get(key, 0.0)
    if delta:
        print(f"  {key:110s} {delta:14.3f} {delta / window:12.1f}/s")
print("gauges at the second scrape:")
for key in sorted(second):
    if any(key.startswith(g) for g in ('butterfly_queue_', 'butterfly_sessions_active', 'butterfly_push_', 'butterfly_store_room')):
        print(f"  {key:110s} {second[key]:14.1f}")
def moved(prefix, label=''):
    return sum(v - first.get(k, 0.0) for k, v in second.items() if k.startswith(prefix + '{') and label in k)
for name, label, scale, unit in (('butterfly_store_commit_duration_seconds', '', 1000, 'ms'),
                                 ('butterfly_store_commit_batch_size', '', 1, 'operations'),
                                 ('butterfly_delivery_duration_seconds', 'source="client"', 1000, 'ms')):
    count, total = moved(name + '_count', label), moved(name + '_sum', label)
    print(f"mean {name}{{{label}}} over the window: {(total / count if count else 0) * scale:.3f} {unit} ({count:.0f} recorded)")
PY
echo "healthz: $(cat "$work/health.txt")"
echo "bench send:"; cat "$work/load.log"
