#!/usr/bin/env bash
# Programmable addresses (issue 12): runs per second of Thwonk example 1 (the 140-character list)
# with MEMBERS subscribers, and the end-to-end delivery rate of its posts to the members.
#
# usage (from the repository root):
#   tests/bench/script-list.sh CLI_DIR [POSTS] [MEMBERS]
#     CLI_DIR   folder holding butterfly.dll (dotnet build src/Butterfly.Cli -c Release)
#     POSTS     posts sent to the list (default 100)
#     MEMBERS   subscribers, each a local account (default 100; the poster is one of them)
# One daemon on 127.0.0.1 (a free port), data in a temporary folder; stopped by its PID. Not a test.
#
# What it prints:
#   accepted   POSTS posts taken by the daemon (butterfly bench send: 4 clients)
#   runs       the script's committed runs per second (first to last run in its log)
#   delivered  copies in the members' inboxes per second, from the first post accepted until
#              POSTS x MEMBERS copies are stored (every send goes the whole delivery path)
#   cache      prepared scripts and the bytes they hold are not exposed here; see the engine's
#              benchmark (tests/Butterfly.Scripting.Benchmarks --memory)
set -euo pipefail
cli=$(cd "$1" && pwd); posts=${2:-100}; members=${3:-100}
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$(dirname "$0")/common.sh"
bench_start bf-script-list
port=$(free_port)
cat > "$work/butterfly.json" <<JSON
{ "listen": "127.0.0.1:$port", "metrics": { "listen": "127.0.0.1:0" }$(web_off "$cli"), "dataDirectory": "data", "domains": ["example.org"],
  "passwords": { "cost": 4, "allowWeakHashingForTests": true },
  "logging": { "LogLevel": { "Default": "Warning" } } }
JSON
bf() { dotnet "$cli/butterfly.dll" "$@"; }
# Not through bf: $! is then the daemon itself, not a subshell around it, so the cleanup stops the right process.
dotnet "$cli/butterfly.dll" serve --config "$work/butterfly.json" > "$work/serve.log" 2>&1 & pid=$!
pids+=("$pid")
wait_for "$work/serve.log" "listening on"

echo "creating $members accounts..."
echo "owner-password-1" | bf user add owner@example.org --password-stdin --config "$work/butterfly.json" > /dev/null
seq 1 "$members" | xargs -P 4 -I{} sh -c "echo member-password-1 | dotnet '$cli/butterfly.dll' user add m{}@example.org --password-stdin --config '$work/butterfly.json' > /dev/null"
bf script allow play@example.org --owner owner@example.org --config "$work/butterfly.json" > /dev/null
export BUTTERFLY_SERVER="127.0.0.1:$port" BUTTERFLY_USER=owner@example.org BUTTERFLY_PASSWORD=owner-password-1
bf script put play@example.org "$root/src/Examples/thwonk/1-tiny-list.js"
python3 -c "import json,sys; print(json.dumps({'subscribers': [f'm{i}@example.org' for i in range(1, $members + 1)]}))" > "$work/state.json"
bf script state play@example.org --set "$work/state.json" > /dev/null

db="$work/data/butterfly.db"
count() { python3 -c "import sqlite3,sys; c=sqlite3.connect('file:$db?mode=ro', uri=True, timeout=30); print(c.execute(sys.argv[1]).fetchone()[0] or 0)" "$1"; }
t0=$(date +%s.%N)
BUTTERFLY_USER=m1@example.org BUTTERFLY_PASSWORD=member-password-1 bf bench send --to play@example.org --count "$posts" --clients 4 --size 1024 --warmup 0 > "$work/send.txt"
t1=$(date +%s.%N)
# Done when no message waits for the script nor for delivery (bench send may send a few more
# than POSTS: its clients finish the requests in flight).
while :; do
  waiting=$(count "SELECT COUNT(*) FROM queue")
  runs=$(count "SELECT COUNT(*) FROM script_runs WHERE committed = 1")
  [ "$waiting" -eq 0 ] && [ "$runs" -ge "$posts" ] && break
  sleep 0.2
done
t2=$(date +%s.%N)
copies=$(count "SELECT SUM(f.messages) FROM folders f JOIN accounts a ON a.id = f.account_id WHERE f.name = 'Inbox' AND a.address LIKE 'm%'")
summary=$(count "SELECT (MAX(at) - MIN(at)) || ',' || COUNT(*) || ',' || AVG(elapsed_us) FROM script_runs WHERE committed = 1")
python3 - "$t0" "$t1" "$t2" "$summary" "$members" "$copies" <<'PY'
import sys
t0, t1, t2 = map(float, sys.argv[1:4]); span_ms, runs, engine_us = map(float, sys.argv[4].split(',')); members, copies = map(int, sys.argv[5:7])
print(f"accepted   {int(runs)} posts in {t1 - t0:.2f} s ({runs / (t1 - t0):.0f}/s, butterfly bench send, 4 clients)")
print(f"runs       {int(runs)} committed runs of example 1 ({members} subscribers: {members} sends each) in {span_ms / 1000:.2f} s: {(runs - 1) / (span_ms / 1000):.1f} runs/s")
print(f"           of which the engine (compile cached; run incl. the {members} sends) {engine_us / 1000:.1f} ms per run on average; the rest is composing, checking and committing {members} messages")
print(f"delivered  {copies} copies to {members} members in {t2 - t0:.2f} s: {copies / (t2 - t0):.0f} copies/s end to end")
PY
