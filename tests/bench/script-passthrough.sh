#!/usr/bin/env bash
# What a pass-through programmable address costs: `butterfly bench send` to an ordinary account
# ("account") against the same to a programmable address whose script only files the message into
# its owner's Inbox ("script": `export function onMessage(message, ctx) { ctx.fileInto('Inbox'); }`),
# alternating round by round, medians.
#
# usage (from the repository root):
#   tests/bench/script-passthrough.sh [ROUNDS] [SECONDS] [CLI_DIR ...]
#     ROUNDS   rounds (default 3): each runs every build with both targets, in turn
#     SECONDS  duration of each bench send (default 10)
#     CLI_DIR  builds to compare (folders holding butterfly.dll); default: this tree's Release build
#   BENCH_CLIENTS (32), BENCH_SIZE (10240); WARMUP seconds of bench send before each measured run
#   (default 3; to the same target, drained before the measurement starts)
#
# What it prints, per build and target (medians over the rounds):
#   accepted    bench send's throughput: sends acknowledged per second (for "script": queued for
#               the script, durably)
#   p99         bench send's p99 latency
#   daemon      the daemon's CPU (utime + stime) per message during bench send
#   filed       messages in the owner's Inbox per second, from the start of bench send until the
#               last queued message has been run and filed (for "account" the same as accepted: a
#               send is filed when it is acknowledged)
#   all-in      the daemon's CPU per message from the start until the last one is filed
# One daemon per run, on 127.0.0.1 on a free port, data in a temporary folder; stopped by its PID.
# Not a test (STYLE.md, habit 16).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
rounds=${1:-3}
seconds=${2:-10}
shift $(( $# < 2 ? $# : 2 ))
clients=${BENCH_CLIENTS:-32}
size=${BENCH_SIZE:-10240}
warmup=${WARMUP:-3}
builds=("$@")
if [ ${#builds[@]} -eq 0 ]; then
  dotnet build src/Butterfly.Cli -c Release -v q -nologo >/dev/null
  builds=("src/Butterfly.Cli/bin/Release/net10.0")
fi

source tests/bench/common.sh
bench_start bf-script-passthrough
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
printf '%s\n' "export function onMessage(message, ctx) { ctx.fileInto('Inbox'); }" > "$work/pass.js"
results="$work/results.tsv"
: > "$results"

run_one() { # BUILD_INDEX TARGET ROUND
  local b=$1 target=$2 round=$3
  local cli="dotnet ${builds[$b]}/butterfly.dll" dir="$work/b$b-$target-$round" port
  mkdir -p "$dir"
  port=$(free_port)
  cat > "$dir/butterfly.json" <<JSON
{ "listen": "127.0.0.1:$port", "metrics": { "listen": "127.0.0.1:0" }$(web_off "${builds[$b]}"), "dataDirectory": "data", "domains": ["localhost"],
  "passwords": { "cost": 4, "allowWeakHashingForTests": true },
  "logging": { "LogLevel": { "Default": "Warning" } } }
JSON
  echo 'bench-password' | $cli user add bench@localhost --password-stdin --config "$dir/butterfly.json" >/dev/null
  echo 'owner-password' | $cli user add owner@localhost --password-stdin --config "$dir/butterfly.json" >/dev/null
  dotnet "${builds[$b]}/butterfly.dll" serve --config "$dir/butterfly.json" > "$dir/serve.log" 2>&1 &
  local pid=$!
  pids=("$pid")
  wait_for "$dir/serve.log" "listening on"
  local to=owner@localhost
  if [ "$target" = script ]; then
    to=play@localhost
    $cli script allow play@localhost --owner owner@localhost --config "$dir/butterfly.json" >/dev/null
    BUTTERFLY_SERVER="127.0.0.1:$port" BUTTERFLY_USER=owner@localhost BUTTERFLY_PASSWORD=owner-password \
      $cli script put play@localhost "$work/pass.js" >/dev/null
  fi

  local db="$dir/data/butterfly.db" ticks t0 t1 t2 out inbox before
  count() { python3 -c "import sqlite3,sys; c=sqlite3.connect('file:$db?mode=ro', uri=True, timeout=30); print(c.execute(sys.argv[1]).fetchone()[0] or 0)" "$1"; }
  drained() { while [ "$(count "SELECT COUNT(*) FROM queue")" -ne 0 ]; do sleep 0.2; done; }
  inbox_count() { count "SELECT f.messages FROM folders f JOIN accounts a ON a.id = f.account_id WHERE f.name = 'Inbox' AND a.address = 'owner@localhost'"; }
  # Warm-up (the JIT, the caches), drained, so the measured run starts from an empty queue.
  BUTTERFLY_SERVER="127.0.0.1:$port" BUTTERFLY_USER=bench@localhost BUTTERFLY_PASSWORD=bench-password \
    $cli bench send --to "$to" --clients "$clients" --size "$size" --duration "$warmup" --json >/dev/null
  drained
  before=$(inbox_count)
  ticks=$(cpu_ticks "$pid")
  t0=$(date +%s.%N)
  out=$(BUTTERFLY_SERVER="127.0.0.1:$port" BUTTERFLY_USER=bench@localhost BUTTERFLY_PASSWORD=bench-password \
    $cli bench send --to "$to" --clients "$clients" --size "$size" --duration "$seconds" --json)
  t1=$(date +%s.%N)
  local bench_ticks=$(( $(cpu_ticks "$pid") - ticks ))
  # Filed: nothing left waiting for the script.
  drained
  t2=$(date +%s.%N)
  local all_ticks=$(( $(cpu_ticks "$pid") - ticks ))
  inbox=$(( $(inbox_count) - before ))
  kill -TERM "$pid"; wait "$pid" || true
  pids=()
  local line
  line=$(printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
bench_ticks, all_ticks, inbox = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
t0, t1, t2 = map(float, sys.argv[4:7])
n = max(1, d["requests"])
print(round(d["throughput"]), d["latencyMs"]["p99"], round(bench_ticks * 1e4 / n, 1), round(inbox / (t2 - t0)), round(all_ticks * 1e4 / max(1, inbox), 1), inbox, round(t2 - t1, 2), d["errors"])' \
    "$bench_ticks" "$all_ticks" "$inbox" "$t0" "$t1" "$t2")
  local rate p99 daemon filed all_in stored drain errors
  read -r rate p99 daemon filed all_in stored drain errors <<<"$line"
  echo "build=$b target=$target round=$round accepted=$rate/s p99=${p99} ms daemon=${daemon} us/msg filed=$filed/s (${stored} in Inbox, drained ${drain} s after the load) all-in=${all_in} us/msg errors=$errors"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$b" "$target" "$rate" "$p99" "$daemon" "$filed" "$all_in" >> "$results"
  rm -rf "$dir"
}

for round in $(seq 1 "$rounds"); do
  for b in "${!builds[@]}"; do
    run_one "$b" account "$round"
    run_one "$b" script "$round"
  done
done

echo
python3 - "$results" "${builds[@]}" <<'PY'
import statistics, sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])]
print(f"{'build':<6} {'target':<8} {'accepted/s':>11} {'vs account':>10} {'p99 ms':>8} {'daemon us/msg':>14} {'filed/s':>8} {'vs account':>10} {'all-in us/msg':>14}")
for b in sorted({r[0] for r in rows}, key=int):
    base = {}
    for target in ("account", "script"):
        sel = [r for r in rows if r[0] == b and r[1] == target]
        if not sel:
            continue
        med = lambda i: statistics.median(float(r[i]) for r in sel)
        if target == "account":
            base = {2: med(2), 5: med(5)}
        print(f"{b:<6} {target:<8} {med(2):>11,.0f} {med(2) / base[2]:>10.2f} {med(3):>8.2f} {med(4):>14.1f} {med(5):>8,.0f} {med(5) / base[5]:>10.2f} {med(6):>14.1f}")
for i, b in enumerate(sys.argv[2:]):
    print(f"build {i}: {b}")
PY
