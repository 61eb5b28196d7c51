#!/usr/bin/env bash
# Outbound SMTP rate, Butterfly vs Postfix, side by side in one run, both relaying to the same
# Postfix smtp-sink (which takes every message and keeps nothing):
#   Butterfly: `butterfly bench send` submits N messages of SIZE bytes for bob@b.example over the
#              client protocol; smtp.routes sends b.example to the sink; timed until the queue is empty.
#   Postfix:   `smtp-source` submits N messages of SIZE bytes over SMTP to a private Postfix whose
#              transport map sends b.example to the sink; timed until its log has N "status=sent".
# Both sides use up to CONNECTIONS connections to the sink (Postfix's default_destination_concurrency_limit
# is 20; Butterfly's smtp.connectionsPerDomain is set to the same) and SESSIONS submitting sessions.
# Every message Butterfly sends is DKIM-signed twice (rsa-sha256 and ed25519-sha256); Postfix signs nothing.
#
# usage (from the repository root, as root: Postfix's master needs it):
#   dotnet build src/Butterfly.Cli -c Release
#   tests/bench/smtp-outbound.sh [N] [SIZE] [SESSIONS] [CONNECTIONS]     (defaults 2000 10240 20 20)
# Needs Debian's postfix package (smtp-sink, smtp-source, master). Every process binds 127.0.0.1 on
# a free port and is stopped by its PID. Not a test: run by hand on a quiet machine (STYLE.md, habit 16).
set -euo pipefail

count=${1:-2000}
size=${2:-10240}
sessions=${3:-20}
connections=${4:-20}
repo=$(cd "$(dirname "$0")/../.." && pwd)
dll="$repo/src/Butterfly.Cli/bin/Release/net10.0/butterfly.dll"
[ -f "$dll" ] || { echo "no $dll: dotnet build src/Butterfly.Cli -c Release" >&2; exit 2; }
bf() { dotnet "$dll" "$@"; }

source "$(dirname "$0")/common.sh"
bench_start bf-smtp-out
[ -n "${BENCH_KEEP:-}" ] && trap 'for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done' EXIT
now() { date +%s.%N; }

# The sink: Postfix's smtp-sink, shared by both sides.
sink_port=$(free_port)
smtp-sink -u postfix "127.0.0.1:$sink_port" 1024 > "$work/sink.log" 2>&1 &
pids+=("$!")

# Butterfly: a.example with alice, b.example routed to the sink.
bf_port=$(free_port)
mkdir -p "$work/bf"
cat > "$work/bf/butterfly.json" <<JSON
{ "listen": "127.0.0.1:$bf_port", "metrics": { "listen": "127.0.0.1:0" }$(web_off "$(dirname "$dll")"), "dataDirectory": "data", "domains": ["a.example"],
  "logging": { "LogLevel": { "Default": "Warning" } },
  "smtp": { "routes": { "b.example": "127.0.0.1:$sink_port" }, "connectionsPerDomain": $connections } }
JSON
echo 'bench-password' | bf user add alice@a.example --config "$work/bf/butterfly.json" --password-stdin > /dev/null
dotnet "$dll" serve --config "$work/bf/butterfly.json" > "$work/bf/serve.log" 2>&1 &  # not through bf: $! is the daemon itself
pids+=("$!")
wait_for "$work/bf/serve.log" "butterfly: listening on"

# Postfix: a private instance (as tests/Butterfly.TestUtilities/PrivatePostfix.cs sets one up).
pf="$work/postfix"
chmod 755 "$work"   # Postfix's daemons run as postfix and must reach their queue
postfix_config "$pf" postfix.bench "$(free_port)"
pf_port=$postfix_port
cat >> "$pf/etc/main.cf" <<CF
relay_domains = b.example
transport_maps = texthash:$pf/etc/transport
default_destination_concurrency_limit = $connections
CF
echo "b.example smtp:[127.0.0.1]:$sink_port" > "$pf/etc/transport"
postfix_start "$pf"

# A short warm-up on each side (JIT, first connections), not counted.
bf bench send --server "127.0.0.1:$bf_port" --user alice@a.example --password bench-password \
  --to bob@b.example --clients 4 --size "$size" --count 50 --warmup 0 > /dev/null
smtp-source -s 4 -m 50 -l "$size" -f alice@a.example -t bob@b.example "127.0.0.1:$pf_port"
queue_empty() { [ "$(bf queue list --json --config "$work/bf/butterfly.json" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" = 0 ]; }
sent() { grep -c 'status=sent' "$pf/maillog" 2>/dev/null || true; }
until queue_empty; do sleep 0.1; done
until [ "$(sent)" -ge 50 ]; do sleep 0.1; done

# Butterfly.
start=$(now)
bf bench send --server "127.0.0.1:$bf_port" --user alice@a.example --password bench-password \
  --to bob@b.example --clients "$sessions" --size "$size" --count "$count" --warmup 0 > /dev/null
submitted=$(now)
until queue_empty; do sleep 0.05; done
bf_end=$(now)

# Postfix.
start_pf=$(now)
smtp-source -s "$sessions" -m "$count" -l "$size" -f alice@a.example -t bob@b.example "127.0.0.1:$pf_port"
submitted_pf=$(now)
until [ "$(sent)" -ge $((count + 50)) ]; do sleep 0.05; done
pf_end=$(now)

python3 - "$count" "$size" "$start" "$submitted" "$bf_end" "$start_pf" "$submitted_pf" "$pf_end" <<'PY'
import sys
n, size = int(sys.argv[1]), int(sys.argv[2])
s, sub, end, ps, psub, pend = map(float, sys.argv[3:])
print(f"{n} messages of {size} bytes, relayed to smtp-sink")
print(f"{'':10} {'submitted in':>13} {'all sent in':>12} {'msg/s':>8}")
print(f"{'butterfly':10} {sub - s:12.2f}s {end - s:11.2f}s {n / (end - s):8.0f}")
print(f"{'postfix':10} {psub - ps:12.2f}s {pend - ps:11.2f}s {n / (pend - ps):8.0f}")
PY
