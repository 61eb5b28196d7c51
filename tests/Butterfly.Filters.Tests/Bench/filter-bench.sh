#!/usr/bin/env bash
# Filter bench: `butterfly bench send` throughput against a Release daemon with 0, 1 and 3
# pass-through filters on the inbound stage (the spam example with --pass: it answers "accept"
# without parsing, so the figures show what the socket round trip and the chain cost), and the
# CPU time per message of the daemon and of the filter daemons (utime + stime from /proc/PID/stat).
#
# usage (from the repository root):
#   tests/Butterfly.Filters.Tests/Bench/filter-bench.sh [RUNS] [SECONDS] [CLI_DIR:FILTER_DIR ...]
#   RUNS     rounds (default 3); each round runs every build with every filter count, in turn,
#            so a change in the machine's load falls on all of them alike
#   SECONDS  duration of each run (default 10)
#   CLI_DIR:FILTER_DIR  builds to compare (folders holding butterfly.dll and
#            Butterfly.Examples.SpamFilter.dll); default: this tree's Release build, built first
#   FILTERS=  filter counts to run (default "0 1 3"); BENCH_CLIENTS (32), BENCH_SIZE (10240);
#            WARMUP seconds of bench send before each measured run (default 3), so the CPU per
#            message is not mostly the JIT's
# Prints one line per run, then per build and filter count the medians: throughput, its ratio to
# the same build without filters, p99, daemon and filter CPU per message. Every daemon and filter
# is started on loopback and stopped by its PID. Not a test: run it by hand (STYLE.md, habit 16).
set -euo pipefail
cd "$(dirname "$0")/../../.."

runs=${1:-3}
seconds=${2:-10}
shift $(( $# < 2 ? $# : 2 ))
clients=${BENCH_CLIENTS:-32}
size=${BENCH_SIZE:-10240}
filter_counts=${FILTERS:-0 1 3}
warmup=${WARMUP:-3}

builds=("$@")
if [ ${#builds[@]} -eq 0 ]; then
  dotnet build src/Butterfly.Cli -c Release -v q -nologo >/dev/null
  dotnet build src/Examples/Butterfly.Examples.SpamFilter -c Release -v q -nologo >/dev/null
  builds=("src/Butterfly.Cli/bin/Release/net10.0:src/Examples/Butterfly.Examples.SpamFilter/bin/Release/net10.0")
fi

source tests/bench/common.sh
bench_start bf-filter-bench

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
results="$work/results.tsv"
: > "$results"

for run in $(seq 1 "$runs"); do
  for b in "${!builds[@]}"; do
    cli="${builds[$b]%%:*}/butterfly.dll"
    pass="${builds[$b]##*:}/Butterfly.Examples.SpamFilter.dll"
    for filters in $filter_counts; do
      dir="$work/b$b-f$filters-r$run"
      mkdir -p "$dir"
      port=$(free_port)
      list=""
      for i in $(seq 1 "$filters"); do
        list+="${list:+,}{\"name\":\"pass$i\",\"stages\":[\"inbound\"],\"timeoutSeconds\":5,\"onFailure\":\"tempfail\"}"
      done
      cat > "$dir/butterfly.json" <<JSON
{
  "listen": "127.0.0.1:$port", "metrics": { "listen": "127.0.0.1:0" }$(web_off "$(dirname "$cli")"),
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
      daemon=$!; pids=("$daemon")
      wait_for "$dir/daemon.log" "listening on"
      filter_pids=()
      for i in $(seq 1 "$filters"); do
        dotnet "$pass" --pass --socket "$dir/data/filter.sock" --name "pass$i" >"$dir/pass$i.log" 2>&1 &
        filter_pids+=($!); pids+=($!)
        wait_for "$dir/pass$i.log" "registered"
      done

      BUTTERFLY_SERVER=127.0.0.1:$port BUTTERFLY_USER=bench@localhost BUTTERFLY_PASSWORD=bench-password \
        dotnet "$cli" bench send --clients "$clients" --size "$size" --duration "$warmup" --json >/dev/null
      daemon_ticks=$(cpu_ticks "$daemon")
      filter_ticks=0
      for pid in "${filter_pids[@]}"; do filter_ticks=$(( filter_ticks + $(cpu_ticks "$pid") )); done
      out=$(BUTTERFLY_SERVER=127.0.0.1:$port BUTTERFLY_USER=bench@localhost BUTTERFLY_PASSWORD=bench-password \
        dotnet "$cli" bench send --clients "$clients" --size "$size" --duration "$seconds" --json)
      daemon_ticks=$(( $(cpu_ticks "$daemon") - daemon_ticks ))
      for pid in "${filter_pids[@]}"; do filter_ticks=$(( filter_ticks - $(cpu_ticks "$pid") )); done
      filter_ticks=$(( -filter_ticks ))
      # A message a filter failed on is held (onFailure tempfail): count them, they are not pass-through work.
      held=$(grep -c "held for a retry" "$dir/daemon.log" || true)
      line=$(printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin); n = max(1, d["requests"])
print(round(d["throughput"]), d["latencyMs"]["p99"], round(int(sys.argv[1]) * 1e4 / n, 1), round(int(sys.argv[2]) * 1e4 / n, 1), d["errors"])' "$daemon_ticks" "$filter_ticks")
      read -r rate p99 daemon_us filter_us errors <<<"$line"
      echo "build=$b filters=$filters run=$run throughput=$rate msg/s p99=${p99} ms daemon=${daemon_us} us/msg filters=${filter_us} us/msg errors=$errors held=$held"
      printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$b" "$filters" "$rate" "$p99" "$daemon_us" "$filter_us" >> "$results"

      for pid in "${filter_pids[@]}"; do kill -TERM "$pid"; wait "$pid" || true; done
      kill -TERM "$daemon"; wait "$daemon" || true
      pids=()
      rm -rf "$dir"
    done
  done
done

echo
python3 - "$results" "${builds[@]}" <<'PY'
import statistics, sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])]
builds = sys.argv[2:]
print(f"{'build':<6} {'filters':>7} {'msg/s (median)':>15} {'vs none':>8} {'p99 ms':>8} {'daemon us/msg':>14} {'filters us/msg':>15}")
for b in sorted({r[0] for r in rows}, key=int):
    base = None
    for f in sorted({r[1] for r in rows if r[0] == b}, key=int):
        sel = [r for r in rows if r[0] == b and r[1] == f]
        med = lambda i: statistics.median(float(r[i]) for r in sel)
        rate = med(2)
        if f == "0":
            base = rate
        ratio = f"{rate / base:.2f}" if base else "-"
        print(f"{b:<6} {f:>7} {rate:>15,.0f} {ratio:>8} {med(3):>8.2f} {med(4):>14.1f} {med(5):>15.1f}")
for i, b in enumerate(builds):
    print(f"build {i}: {b}")
PY
