#!/usr/bin/env bash
# Before/after load figures for two builds of Butterfly on this machine: `butterfly bench ping`
# (pipelined and unpipelined), `bench send` and `bench relay`, with the builds alternating round
# by round so that drift in the machine's speed falls on both alike. Prints every run, then the
# median, min and max per build and mode, and the after/before ratio of the medians; beside
# throughput, the CPU time per request of the daemon(s) and of the load tool (from /proc and
# /usr/bin/time), which a busy machine disturbs far less than throughput.
#
# usage (from the repository root):
#   tests/bench/compare.sh BEFORE_DIR AFTER_DIR [ROUNDS] [SECONDS]
#     BEFORE_DIR, AFTER_DIR  folders holding butterfly.dll (e.g. src/Butterfly.Cli/bin/Release/net10.0
#                            of two checkouts, each built with `dotnet build src/Butterfly.Cli -c Release`)
#     ROUNDS                 rounds per build and mode (default 5)
#     SECONDS                duration of each ping and send run (default 10)
#   BENCH_MODES="ping ping1 send relay" picks modes; BENCH_RELAY_COUNT sets messages per relay run (5000).
# Every daemon binds 127.0.0.1 on a free port and is stopped by its PID. Not a test: run by hand
# on a quiet machine (STYLE.md, habit 16); the load tool shares the cores with the daemon.
set -euo pipefail

before=$(cd "$1" && pwd); after=$(cd "$2" && pwd)
rounds=${3:-5}
seconds=${4:-10}
modes=${BENCH_MODES:-"ping ping1 send relay"}
relay_count=${BENCH_RELAY_COUNT:-5000}
for dir in "$before" "$after"; do
  [ -f "$dir/butterfly.dll" ] || { echo "no butterfly.dll in $dir" >&2; exit 2; }
done

source "$(dirname "$0")/common.sh"
bench_start bf-compare


field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# bench ARGS...: runs the load tool, JSON on stdout, its CPU seconds (user + system) in $work/tool.cpu
bench() { /usr/bin/time -f '%U %S' -o "$work/tool.time" $cli bench "$@" --json; awk '{ print $1 + $2 }' "$work/tool.time" > "$work/tool.cpu"; }

# per_request CPU_SECONDS REQUESTS: microseconds per request
per_request() { python3 -c 'import sys; print(round(float(sys.argv[1]) * 1e6 / max(1, float(sys.argv[2])), 1))' "$1" "$2"; }

# run_mode BUILD MODE ROUND: prints "throughput p99 server-us/request tool-us/request" (p99 in ms, or - for relay)
run_mode() {
  local build=$1 mode=$2 round=$3 dir="$work/$mode-$round-$(basename "$(dirname "$(dirname "$(dirname "$build")")")")-$RANDOM"
  local cli="dotnet $build/butterfly.dll" port json pid pid_b port_b
  # run_mode runs in a subshell (the caller reads its output), so the daemons it starts are not in
  # the caller's pids: stop them here when it exits early (a daemon that failed to start, say).
  trap 'for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done' EXIT
  port=$(free_port)
  export BUTTERFLY_PASSWORD=bench-password
  case "$mode" in
    ping|ping1|send)
      butterfly_start "$build" "$dir" localhost "$port"; pid=$butterfly_pid
      local ticks; ticks=$(cpu_ticks "$pid")
      case "$mode" in
        ping)  json=$(bench ping --server "127.0.0.1:$port" --user alice@localhost --clients 32 --pipeline 16 --duration "$seconds") ;;
        ping1) json=$(bench ping --server "127.0.0.1:$port" --user alice@localhost --clients 50 --pipeline 1 --duration "$seconds") ;;
        send)  json=$(bench send --server "127.0.0.1:$port" --user alice@localhost --clients 32 --size 10240 --duration "$seconds") ;;
      esac
      ticks=$(( $(cpu_ticks "$pid") - ticks ))
      stop_pid "$pid"
      local requests; requests=$(echo "$json" | field requests)
      echo "$(echo "$json" | field throughput) $(echo "$json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["latencyMs"]["p99"])')" \
        "$(per_request "$(python3 -c "print($ticks / 100)")" "$requests")" "$(per_request "$(cat "$work/tool.cpu")" "$requests")"
      ;;
    relay)
      port_b=$(free_port)
      butterfly_start "$build" "$dir/b" b.example "$port_b" a.example "$port"; pid_b=$butterfly_pid
      butterfly_start "$build" "$dir/a" a.example "$port" b.example "$port_b"; pid=$butterfly_pid
      local ticks; ticks=$(( $(cpu_ticks "$pid") + $(cpu_ticks "$pid_b") ))
      json=$(BUTTERFLY_TO_PASSWORD=bench-password bench relay --server "127.0.0.1:$port" --user alice@a.example \
        --to alice@b.example --to-server "127.0.0.1:$port_b" --count "$relay_count" --clients 16 --pipeline 4)
      ticks=$(( $(cpu_ticks "$pid") + $(cpu_ticks "$pid_b") - ticks ))
      stop_pid "$pid"; stop_pid "$pid_b"
      echo "$(echo "$json" | field throughput) - $(per_request "$(python3 -c "print($ticks / 100)")" "$relay_count")" \
        "$(per_request "$(cat "$work/tool.cpu")" "$relay_count")"
      ;;
  esac
  rm -rf "$dir"
}

results="$work/results.tsv"
: > "$results"
for mode in $modes; do
  for round in $(seq 1 "$rounds"); do
    # Alternate which build goes first, so neither always runs on a warmer machine.
    if [ $((round % 2)) -eq 1 ]; then order="before after"; else order="after before"; fi
    for which in $order; do
      build=$before; [ "$which" = after ] && build=$after
      read -r throughput p99 server tool < <(run_mode "$build" "$mode" "$round")
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$mode" "$which" "$round" "$throughput" "$p99" "$server" "$tool" | tee -a "$results"
    done
  done
done

python3 - "$results" <<'PY'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
print()
print("CPU columns: microseconds of CPU per request, medians (relay: both daemons).")
print(f"{'mode':<7}{'build':<8}{'median/s':>12}{'min/s':>12}{'max/s':>12}{'spread':>9}{'p99 ms':>9}{'server us':>11}{'tool us':>9}")
for mode in dict.fromkeys(r[0] for r in rows):
    medians = {}
    for which in ("before", "after"):
        vals = [float(r[3]) for r in rows if r[0] == mode and r[1] == which]
        p99s = [float(r[4]) for r in rows if r[0] == mode and r[1] == which and r[4] != "-"]
        med = statistics.median(vals); medians[which] = med
        spread = (max(vals) - min(vals)) / med * 100
        p99 = f"{statistics.median(p99s):.2f}" if p99s else "-"
        server = statistics.median(float(r[5]) for r in rows if r[0] == mode and r[1] == which)
        tool = statistics.median(float(r[6]) for r in rows if r[0] == mode and r[1] == which)
        print(f"{mode:<7}{which:<8}{med:>12,.0f}{min(vals):>12,.0f}{max(vals):>12,.0f}{spread:>8.0f}%{p99:>9}{server:>11.1f}{tool:>9.1f}")
    print(f"{mode:<7}{'after/before':<20}{medians['after'] / medians['before']:>6.2f}x")
PY
