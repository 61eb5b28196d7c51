#!/usr/bin/env bash
# What the per-delivery log line (and the metrics) cost in `bench send` throughput (issue 15, "See what it
# does"). Three configurations, each on a fresh daemon and data folder, in alternating rounds so that the
# noise of a shared machine falls on all of them alike; prints every round and the median of each,
# as throughput and as the daemon's CPU time per message over the measured window:
#   line     the default: one Information line per delivery (to a file here), metrics on
#   no-line  logging.LogLevel "Butterfly.Delivered": "Warning" (the line off), metrics on
#   no-line-no-metrics  the line off and metrics.listen "" (no meter listener at all)
#
# usage (from the repository root):
#   dotnet build src/Butterfly.Cli -c Release
#   tests/bench/delivery-log-cost.sh CLI_DIR [ROUNDS] [SECONDS] [CLIENTS]
#     ROUNDS   rounds of each configuration (default 5); SECONDS measured per round (default 10);
#     CLIENTS  connections of bench send (default 32), 10 KiB messages
# Logins use cheap hashing (cost 4): 32 bcrypt logins at cost 10 time out on a loaded machine, and
# logins are not what is measured. Binds 127.0.0.1 on free ports; every process is stopped by its PID. Not a test.
set -euo pipefail
cli=$(cd "$1" && pwd); rounds=${2:-5}; seconds=${3:-10}; clients=${4:-32}
source "$(dirname "$0")/common.sh"
bench_start bf-log-cost
declare -A results cpu
modes=(line no-line no-line-no-metrics)

run_round() { # MODE: prints the throughput, the delivery lines logged and the daemon CPU µs per message of one round
  local mode=$1 dir="$work/$1-$RANDOM" port metrics level listen pid out
  mkdir -p "$dir"; port=$(free_port); metrics=$(free_port)
  level='"Default": "Information"'; listen="127.0.0.1:$metrics"
  [ "$mode" != line ] && level="$level, \"Butterfly.Delivered\": \"Warning\""
  [ "$mode" = no-line-no-metrics ] && listen=""
  cat > "$dir/butterfly.json" <<JSON
{ "listen": "127.0.0.1:$port", "dataDirectory": "data", "domains": ["localhost"],
  "passwords": { "cost": 4, "allowWeakHashingForTests": true }, "metrics": { "listen": "$listen" }$(web_off "$cli"), "logging": { "LogLevel": { $level } } }
JSON
  echo "alice-password" | dotnet "$cli/butterfly.dll" user add alice@localhost --password-stdin --config "$dir/butterfly.json" > /dev/null
  dotnet "$cli/butterfly.dll" serve --config "$dir/butterfly.json" > "$dir/serve.log" 2>&1 & pid=$!
  pids+=("$pid")
  wait_for "$dir/serve.log" "listening on"
  BUTTERFLY_SERVER=127.0.0.1:$port BUTTERFLY_USER=alice@localhost BUTTERFLY_PASSWORD=alice-password \
    dotnet "$cli/butterfly.dll" bench send --clients "$clients" --size 10240 --duration "$seconds" --to alice@localhost > "$dir/bench.out" 2> "$dir/bench.err" & bench=$!
  pids+=("$bench")
  wait_for "$dir/bench.err" "measuring" > /dev/null
  # The daemon's CPU time (user + system clock ticks) over the measured window: less swayed than
  # throughput by what else runs on a shared machine.
  local t0; t0=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
  wait "$bench"
  local t1; t1=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
  out=$(cat "$dir/bench.out")
  kill -TERM "$pid"; wait "$pid" || true
  local lines; lines=$(grep -c "Butterfly.Delivered" "$dir/serve.log" || true)
  rm -rf "$dir"
  local messages; messages=$(echo "$out" | awk '/messages/ { gsub(",", "", $2); print $2 }')
  echo "$out" | awk '/throughput/ { gsub(",", "", $2); print $2 }' | tr -d '\n'
  echo " $lines $(( (t1 - t0) * 1000000 / $(getconf CLK_TCK) / messages ))"
}

for round in $(seq 1 "$rounds"); do
  for mode in "${modes[@]}"; do
    read -r rate lines micros < <(run_round "$mode")
    results[$mode]+="$rate "; cpu[$mode]+="$micros "
    printf 'round %d  %-20s %6s msg/s  %6s µs daemon CPU/msg  (%s delivery lines logged)\n' "$round" "$mode" "$rate" "$micros" "$lines"
  done
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
for mode in "${modes[@]}"; do
  printf 'median %-20s %6s msg/s  %6s µs daemon CPU/msg  (rounds: %s/ %s)\n' "$mode" \
    "$(echo "${results[$mode]}" | median)" "$(echo "${cpu[$mode]}" | median)" "${results[$mode]}" "${cpu[$mode]}"
done
