#!/usr/bin/env bash
# Where a local delivery's time goes (issue 16): one daemon on a fresh data folder, `bench send`
# (32 clients, 10 KiB, alice to herself: an Inbox and a Sent copy each) for a while, and during the
# middle of it one of these, picked by WHAT:
#   cpu       the daemon's CPU per message only (from /proc), no tool attached
#   trace     dotnet-trace's CPU sampling; prints the top frames by exclusive and inclusive share
#             (needs `dotnet tool install -g dotnet-trace`; the .nettrace is kept in OUT_DIR)
#   fsync     strace -c of fsync/fdatasync on every thread of the daemon: calls per message
#   counters  dotnet-counters (System.Runtime: GC pauses, thread-pool queue and threads, allocation
#             rate) and the store's commit metrics from /metrics (batch size, commit time)
#   perf      perf record -g with DOTNET_PerfMapEnabled=1; prints perf report's top symbols (sort by
#             comm to split the writer, 'Store writer', from the pool and the tiered JIT, which on a
#             loaded machine keeps compiling for minutes and takes a large share of any short run)
# Always prints bench send's summary (throughput, p50, p99, max) and the daemon's CPU per message.
#
# usage (from the repository root):
#   dotnet build src/Butterfly.Cli -c Release
#   tests/bench/delivery-profile.sh CLI_DIR [WHAT] [SECONDS] [OUT_DIR]
#     CLI_DIR  folder holding butterfly.dll (src/Butterfly.Cli/bin/Release/net10.0)
#     WHAT     cpu (default), trace, fsync, counters or perf
#     SECONDS  length of the load (default 20); it starts after the logins and the warm-up;
#              the measurement covers its SECONDS - 4 after 2 s more
#     OUT_DIR  where trace and perf files are kept (default: a temporary folder, removed)
# Binds 127.0.0.1 on free ports; every process is stopped by its PID. Not a test (STYLE.md, 16).
set -euo pipefail
cli=$(cd "$1" && pwd); what=${2:-cpu}; seconds=${3:-20}; out=${4:-}
window=$((seconds - 4))
source "$(dirname "$0")/common.sh"
bench_start bf-delivery-profile
[ -n "$out" ] || out="$work/out"
mkdir -p "$out"; out=$(cd "$out" && pwd)
port=$(free_port); metrics=$(free_port)
cat > "$work/butterfly.json" <<JSON
{ "listen": "127.0.0.1:$port", "dataDirectory": "data", "domains": ["localhost"],
  "passwords": { "cost": 10 }, "metrics": { "listen": "127.0.0.1:$metrics" }$(web_off "$cli"),
  "logging": { "LogLevel": { "Default": "Warning" } } }
JSON
echo "alice-password" | dotnet "$cli/butterfly.dll" user add alice@localhost --password-stdin --config "$work/butterfly.json" > /dev/null
# W^X double-mapping hides JIT-compiled frames from perf; the perf map names them.
[ "$what" = perf ] && export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
dotnet "$cli/butterfly.dll" serve --config "$work/butterfly.json" > "$work/serve.log" 2>&1 & daemon=$!
pids+=("$daemon")
unset DOTNET_PerfMapEnabled DOTNET_EnableWriteXorExecute
wait_for "$work/serve.log" "listening on"
BUTTERFLY_SERVER=127.0.0.1:$port BUTTERFLY_USER=alice@localhost BUTTERFLY_PASSWORD=alice-password \
  dotnet "$cli/butterfly.dll" bench send --clients 32 --size 10240 --duration "$seconds" > "$work/load.txt" 2> "$work/load.err" & load=$!
pids+=("$load")
# Logins (bcrypt) are over once the tool says it measures; then 2 s to reach its pace.
wait_for "$work/load.err" "measuring"
sleep 2
delivered() { curl -fsS "http://127.0.0.1:$metrics/metrics" | awk '/^butterfly_delivery_recipients_total.*status="delivered"/ { s += $NF } END { print s + 0 }'; }
commits() { curl -fsS "http://127.0.0.1:$metrics/metrics" | awk '/^butterfly_store_commit_.*_(sum|count)/ { n = $1; sub(/\{.*/, "", n); print n, $NF }'; }
ticks() { awk '{ print $14 + $15 }' "/proc/$daemon/stat"; }
first=$(delivered); t0=$(ticks); commits > "$work/commits.1"
case "$what" in
  cpu) sleep "$window" ;;
  trace)
    ~/.dotnet/tools/dotnet-trace collect -p "$daemon" --profile dotnet-sampled-thread-time --duration "00:00:$(printf %02d "$window")" \
      -o "$out/delivery.nettrace" > "$work/trace.log" 2>&1 || cat "$work/trace.log" >&2 ;;
  fsync)
    timeout -s INT "$window" strace -c -f -e trace=fsync,fdatasync -p "$daemon" -o "$out/strace.txt" > /dev/null 2>&1 || true ;;
  counters)
    ~/.dotnet/tools/dotnet-counters collect -p "$daemon" --counters System.Runtime --refresh-interval 1 \
      --duration "00:00:$(printf %02d "$window")" --format csv -o "$out/counters.csv" > /dev/null 2>&1 || true ;;
  perf)
    perf record -F 999 -g -p "$daemon" -o "$out/perf.data" -- sleep "$window" > /dev/null 2>&1 || true ;;
  *) echo "unknown WHAT: $what" >&2; exit 2 ;;
esac
t1=$(ticks); last=$(delivered); commits > "$work/commits.2"
wait "$load" || true
python3 - "$work/load.txt" "$first" "$last" "$t0" "$t1" "$work/commits.1" "$work/commits.2" <<'PY'
import sys
import re
text = open(sys.argv[1]).read()
tput = float(re.search(r"throughput\s+([\d,.]+)", text).group(1).replace(",", ""))
p50, p99, mx = (float(x) for x in re.search(r"p50 ([\d.]+) ms\s+p99 ([\d.]+) ms\s+max ([\d.]+) ms", text).groups())
errors = re.search(r"errors\s+([\d,]+)", text).group(1)
first, last, t0, t1 = (float(x) for x in sys.argv[2:6])
def read(path):
    return {l.split()[0]: float(l.split()[1]) for l in open(path) if l.strip()}
c1, c2 = read(sys.argv[6]), read(sys.argv[7])
def d(kind, stat):
    return sum(v - c1.get(k, 0) for k, v in c2.items() if k.startswith("butterfly_store_commit_" + kind) and k.endswith("_" + stat))
print(f"bench send: {tput:,.0f} msg/s, p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {mx:.1f} ms, errors {errors}")
msgs = last - first   # one delivered recipient per send (plus its Sent copy, not counted)
if msgs > 0:
    print(f"daemon CPU per send, measured window: {(t1 - t0) / 100 * 1e6 / msgs:.0f} us ({msgs:.0f} sends, {msgs / (t1 - t0) * 100:.0f} per CPU-second)")
n = d("batch_size", "count")
if n > 0:
    print(f"commits: {n:.0f}, {d('batch_size', 'sum') / n:.1f} operations each, "
          f"{d('duration', 'sum') / n * 1000:.2f} ms each (the COMMIT alone)")
PY
case "$what" in
  trace)
    if ! command -v python3 > /dev/null || [ ! -f "$out/delivery.nettrace" ]; then exit 0; fi
    ~/.dotnet/tools/dotnet-trace report "$out/delivery.nettrace" topN -n 30 2>/dev/null || true
    ~/.dotnet/tools/dotnet-trace report "$out/delivery.nettrace" topN -n 40 --inclusive 2>/dev/null || true ;;
  fsync) cat "$out/strace.txt" ;;
  counters)
    python3 - "$out/counters.csv" <<'PY'
import csv, sys, collections
series = collections.defaultdict(list)
for row in csv.DictReader(open(sys.argv[1])):
    try: series[row["Counter Name"]].append(float(row["Mean/Increment"]))
    except (KeyError, ValueError): pass
for name, values in sorted(series.items()):
    print(f"  {name[:70]:70s} mean {sum(values) / len(values):12.2f}  max {max(values):12.2f}")
PY
    ;;
  perf)
    perf report -i "$out/perf.data" --no-children --sort comm --stdio -g none 2>/dev/null | grep '%' | head -8
    perf report -i "$out/perf.data" --no-children --sort dso,symbol --stdio -g none 2>/dev/null | grep '%' | head -40 | cut -c1-160 ;;
esac
