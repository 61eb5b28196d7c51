#!/usr/bin/env bash
# Several daemons on one PostgreSQL (issue 17, "Past one machine"): `butterfly bench send` against
# one daemon on SQLite, one on PostgreSQL, and two and three daemons on one PostgreSQL database, all
# on this machine; then push latency within one daemon and across two (send through A, the
# recipient's sessions subscribed on B: `bench push --watch-server`).
#
# Each send run: 10 KB messages sent to oneself (Inbox and Sent, one commit before the answer)
# over CLIENTS connections for SECONDS, spread evenly over the daemons (`bench send --spread`),
# after a warm-up run of 2 s that is not counted (JIT, pools, caches); once with every connection
# on one account (every commit takes that mailbox's lock: the worst case for several writers) and
# once with the connections spread over ACCOUNTS accounts (`--also-user`). The PostgreSQL
# cluster is private: initdb in a temporary folder, 127.0.0.1 on a free port, fsync and
# synchronous_commit on (the store's promise: acknowledged only after commit), max_connections 300,
# shared_buffers 128MB; each daemon pools at most 60 connections. Each configuration gets a database
# of its own, so no run reads another's mail.
# CPU per message: (utime + stime + cutime + cstime) of each daemon's process (all its threads),
# and of the postmaster's whole process tree (backends, WAL writer, checkpointer...), from just
# before the measured run to just after it, divided by the messages it counted. The load tool's
# own CPU is not in it. The two cores are shared by the tool, the daemons and PostgreSQL: on this
# machine more daemons cannot add cores, so what the rows show is the cost of each extra daemon
# and of the database, not scaling.
#
# usage (from anywhere in the repository; as root the cluster runs as the postgres user, as
# initdb refuses root):
#   tests/bench/postgres.sh [SECONDS] [CLIENTS] [PUSH_COUNT] [ACCOUNTS]   defaults 10, 32, 1000, 8
#   POSTGRES_BUILD_DIR=DIR   measure the butterfly.dll in DIR instead of a Release build of this checkout
#   POSTGRES_OUT=FILE        where the markdown table goes (default postgres-results.md here)
#   POSTGRES_RUNS="send"     only the send runs ("push": only the push runs; default both)
#   POSTGRES_DAEMONS="1"     only these daemon counts in the send runs (default "1 2 3")
#   POSTGRES_STATEMENTS=N    load pg_stat_statements and print, after each PostgreSQL send run, its N
#                            statements with the most execution time: calls per message, ms in all, mean ms
# Needs Debian's postgresql package (apt-get install postgresql). Prints the load average before
# and after. Every process started is stopped by its PID on exit (daemons with SIGTERM, the cluster
# with pg_ctl stop -m fast). Not a test (STYLE.md, habit 16).
set -euo pipefail

seconds=${1:-10}
clients=${2:-32}
push_count=${3:-1000}
accounts=${4:-8}
out=${POSTGRES_OUT:-postgres-results.md}
runs=${POSTGRES_RUNS:-"send push"}
daemon_counts=${POSTGRES_DAEMONS:-"1 2 3"}
statements=${POSTGRES_STATEMENTS:-0}
repo=$(cd "$(dirname "$0")/../.." && pwd)

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$pg_bin/initdb" ] || { echo "needs Debian's postgresql package: apt-get install postgresql" >&2; exit 2; }

source "$(dirname "$0")/common.sh"
release_build "$repo" "${POSTGRES_BUILD_DIR:-}"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
bench_start bf-postgres
export BUTTERFLY_PASSWORD=bench-password BUTTERFLY_TO_PASSWORD=bench-password
bf() { dotnet "$build/butterfly.dll" "$@"; }
hz=$(getconf CLK_TCK)

# --- the private cluster --------------------------------------------------------------------------
pg_dir="$work/pg"
mkdir -p "$pg_dir/socket"
as_pg=()
if [ "$(id -u)" = 0 ]; then
  chmod 755 "$work"
  chown -R postgres: "$pg_dir"
  as_pg=(runuser -u postgres --)
fi
pg_port=$(free_port)
"${as_pg[@]}" "$pg_bin/initdb" --no-sync -D "$pg_dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 > "$work/initdb.log"
"${as_pg[@]}" "$pg_bin/pg_ctl" start -w -t 60 -D "$pg_dir/data" -l "$pg_dir/server.log" -o \
  "-c listen_addresses=127.0.0.1 -c port=$pg_port -c unix_socket_directories=$pg_dir/socket -c fsync=on -c synchronous_commit=on -c max_connections=300 -c shared_buffers=128MB$([ "$statements" -gt 0 ] && echo " -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all")" > /dev/null
postmaster=$(head -1 "$pg_dir/data/postmaster.pid")

# Daemons first (SIGTERM, by PID), then the cluster, then the folder.
pg_cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
  "${as_pg[@]}" "$pg_bin/pg_ctl" stop -w -t 30 -m fast -D "$pg_dir/data" > /dev/null 2>&1 || kill -KILL "$postmaster" 2>/dev/null || true
  bench_cleanup
}
trap pg_cleanup EXIT

psql_run() { "${as_pg[@]}" "$pg_bin/psql" -q -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -c "$1" > /dev/null; }

# --- daemons ----------------------------------------------------------------------------------------
# daemon_start DIR PORT STORE_JSON: a daemon on DIR/butterfly.json (client port 127.0.0.1:PORT,
# warnings only, bcrypt at cost 4) with the given "store" section; sets $daemon_pid (in pids).
daemon_start() {
  local dir=$1 port=$2 store=$3
  mkdir -p "$dir"
  cat > "$dir/butterfly.json" <<JSON
{ "listen": "127.0.0.1:$port", "metrics": { "listen": "127.0.0.1:0" }$(web_off "$build"), "dataDirectory": "data", "domains": ["localhost"],
  "passwords": { "cost": 4, "allowWeakHashingForTests": true, "maxQueuedHashes": 1000 }, "logging": { "LogLevel": { "Default": "Warning" } },
  "store": $store }
JSON
  # dotnet itself, not the bf function: $! must be the daemon, for SIGTERM to reach it.
  dotnet "$build/butterfly.dll" serve --config "$dir/butterfly.json" > "$dir/serve.log" 2>&1 &
  daemon_pid=$!
  pids+=("$daemon_pid")
  wait_for "$dir/serve.log" "butterfly: listening on"
}

# group_start NAME N KIND: N daemons (KIND sqlite or postgres; postgres ones share database NAME),
# alice@localhost and bob@localhost added before they start; sets $ports (array) and $daemon_pids.
group_start() {
  local name=$1 n=$2 kind=$3 store='{ "kind": "sqlite" }'
  if [ "$kind" = postgres ]; then
    psql_run "CREATE DATABASE $name"
    store="{ \"kind\": \"postgres\", \"connectionString\": \"Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=$name;Maximum Pool Size=60\" }"
  fi
  ports=(); daemon_pids=()
  for i in $(seq 0 $((n - 1))); do ports+=("$(free_port)"); done
  local first="$work/$name/d0"
  mkdir -p "$first"
  for i in $(seq 0 $((n - 1))); do
    if [ "$i" = 0 ]; then
      # Written (not started) first so that the accounts go in through the store directly.
      cat > "$first/butterfly.json" <<JSON
{ "listen": "127.0.0.1:${ports[0]}", "dataDirectory": "data", "domains": ["localhost"], "passwords": { "cost": 4, "allowWeakHashingForTests": true }, "store": $store }
JSON
      for user in alice bob $(seq -f 'u%g' 1 "$accounts"); do
        echo bench-password | bf user add "$user@localhost" --password-stdin --config "$first/butterfly.json" > /dev/null
      done
    fi
    daemon_start "$work/$name/d$i" "${ports[$i]}" "$store"
    daemon_pids+=("$daemon_pid")
  done
}

group_stop() { for pid in "${daemon_pids[@]}"; do stop_pid "$pid"; done; }

ticks_of() { python3 "$repo/tests/bench/tree-ticks.py" "$@"; }  # PID...: CPU ticks of their process trees

us_per() { python3 -c 'import sys; print(round(int(sys.argv[1]) / int(sys.argv[3]) * 1e6 / max(1, int(sys.argv[2])), 1))' "$1" "$2" "$hz"; }
json_field() { python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2], {}, d))' "$1" "$2"; }

rows=()
# send_run LABEL NAME N KIND USERS: a group, a warm-up, the measured run, a table row; USERS 1: all
# connections as alice; more: spread over u1..uUSERS, each to itself.
send_run() {
  local label=$1 name=$2 n=$3 kind=$4 users=$5
  group_start "$name" "$n" "$kind"
  local spread=() who=(--user alice@localhost)
  for port in "${ports[@]:1}"; do spread+=(--spread "127.0.0.1:$port"); done
  if [ "$users" -gt 1 ]; then
    who=(--user u1@localhost)
    for u in $(seq 2 "$users"); do who+=(--also-user "u$u@localhost"); done
  fi
  local args=(bench send --server "127.0.0.1:${ports[0]}" "${spread[@]}" "${who[@]}" --clients "$clients" --size 10240)
  bf "${args[@]}" --duration 2 --warmup 0 > /dev/null 2>&1
  local before=() pg_before=0 after=() pg_after=0
  for pid in "${daemon_pids[@]}"; do before+=("$(ticks_of "$pid")"); done
  if [ "$kind" = postgres ] && [ "$statements" -gt 0 ]; then
    psql_run "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"
    psql_run "SELECT pg_stat_statements_reset()"
  fi
  [ "$kind" = postgres ] && pg_before=$(ticks_of "$postmaster")
  bf "${args[@]}" --duration "$seconds" --warmup 0 --json > "$work/$name.json" 2> "$work/$name.err"
  for pid in "${daemon_pids[@]}"; do after+=("$(ticks_of "$pid")"); done
  [ "$kind" = postgres ] && pg_after=$(ticks_of "$postmaster")
  local requests rate p50 p99 errors cpu="" total=0
  requests=$(json_field "$work/$name.json" requests)
  rate=$(json_field "$work/$name.json" throughput)
  p50=$(json_field "$work/$name.json" 'latencyMs["p50"]')
  p99=$(json_field "$work/$name.json" 'latencyMs["p99"]')
  errors=$(json_field "$work/$name.json" errors)
  for i in "${!daemon_pids[@]}"; do
    local d=$(( after[i] - before[i] ))
    total=$(( total + d ))
    cpu+="${cpu:+ / }$(us_per "$d" "$requests")"
  done
  local pg_cpu="–"
  if [ "$kind" = postgres ]; then
    pg_cpu=$(us_per $(( pg_after - pg_before )) "$requests")
    total=$(( total + pg_after - pg_before ))
  fi
  if [ "$kind" = postgres ] && [ "$statements" -gt 0 ]; then
    # Nested statements (the quota trigger's) count too (track=all); the daemon's own are at top level.
    "${as_pg[@]}" "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -P pager=off -c \
      "SELECT round(calls::numeric / $requests, 2) AS per_msg, round(total_exec_time::numeric) AS total_ms, round(mean_exec_time::numeric, 3) AS mean_ms, toplevel, left(regexp_replace(query, '\s+', ' ', 'g'), 110) AS query
       FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = '$name' ORDER BY total_exec_time DESC LIMIT $statements" >&2
  fi
  rows+=("| $label | $users | $rate | $p50 | $p99 | $cpu | $pg_cpu | $(us_per "$total" "$requests") | $errors |")
  echo "${rows[-1]}" >&2
  group_stop
}

push_rows=()
# push_run LABEL NAME KIND ACROSS: two daemons when ACROSS (sessions on the second), else one.
push_run() {
  local label=$1 name=$2 kind=$3 across=$4 n=1
  [ "$across" = yes ] && n=2
  group_start "$name" "$n" "$kind"
  local watch=()
  [ "$across" = yes ] && watch=(--watch-server "127.0.0.1:${ports[1]}")
  bf bench push --server "127.0.0.1:${ports[0]}" "${watch[@]}" --user alice@localhost --to bob@localhost \
    --count "$push_count" --warmup 50 --watchers 2 --json > "$work/$name.json" 2> "$work/$name.err" || true
  push_rows+=("| $label | $(json_field "$work/$name.json" p50Ms) | $(json_field "$work/$name.json" p99Ms) | $(json_field "$work/$name.json" maxMs) | $(json_field "$work/$name.json" events) | $(json_field "$work/$name.json" missing) |")
  echo "${push_rows[-1]}" >&2
  group_stop
}

if [[ " $runs " == *" send "* ]]; then
  for users in 1 "$accounts"; do
    send_run "1 daemon, SQLite" "s1_$users" 1 sqlite "$users"
    send_run "1 daemon, PostgreSQL" "p1_$users" 1 postgres "$users"
    if [[ " $daemon_counts " == *" 2 "* ]]; then send_run "2 daemons, one PostgreSQL" "p2_$users" 2 postgres "$users"; fi
    if [[ " $daemon_counts " == *" 3 "* ]]; then send_run "3 daemons, one PostgreSQL" "p3_$users" 3 postgres "$users"; fi
  done
fi
if [[ " $runs " == *" push "* ]]; then
  push_run "SQLite, same daemon" push_s sqlite no
  push_run "PostgreSQL, same daemon" push_p1 postgres no
  push_run "PostgreSQL, across two daemons" push_p2 postgres yes
fi

{
  echo "butterfly $commit, $(nproc) cores, load average before $load_before, after $(cut -d' ' -f1-3 /proc/loadavg); PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}')"
  echo
  echo "\`bench send\`: $clients clients, 10 KB to self, ${seconds} s measured after 2 s of warm-up; CPU in µs per message"
  echo
  echo "| configuration | accounts | msg/s | p50 ms | p99 ms | CPU per daemon | CPU postgres | CPU total | errors |"
  echo "|---|---|---|---|---|---|---|---|---|"
  if [ ${#rows[@]} -gt 0 ]; then printf '%s\n' "${rows[@]}"; fi
  echo
  echo "\`bench push\`: $push_count sends one at a time, 2 subscribed sessions of the recipient; latency from the send's answer to each session's event"
  echo
  echo "| where | p50 ms | p99 ms | max ms | events | missing |"
  echo "|---|---|---|---|---|---|"
  if [ ${#push_rows[@]} -gt 0 ]; then printf '%s\n' "${push_rows[@]}"; fi
} | tee "$out"
