#!/usr/bin/env bash
# Search and listing on a big mailbox: builds one account's Inbox of COUNT messages (100,000 by
# default) from the 1,000-message corpus, stored over and over (each copy gets its own Message-ID
# and a field naming it, so every content is distinct and indexed; see FILL below), then measures,
# through the daemon, one request at a time over loopback:
#   - search latency (p50/p99 over a dozen queries: words, a phrase, from:, subject:, has:, is:, dates),
#   - list-page latency (message.list, 50 per page, at random places) and thread-page latency,
# and, with the daemon stopped, on a VACUUMed copy: database bytes per message against the raw bytes
# stored, with and without the search index (and what threads take).
#
# usage (from the repository root, after `dotnet build src/Butterfly.Cli -c Release`):
#   tests/bench/mailbox-100k.sh [BUILD_DIR] [COUNT] [ROUNDS] [MBOX]
#     BUILD_DIR  folder holding butterfly.dll (default src/Butterfly.Cli/bin/Release/net10.0)
#     COUNT      messages to store (default 100000)
#     ROUNDS     requests per search query (default 50); list pages: ROUNDS x 12
#     MBOX       the corpus (default ../shared/corpus/synthetic-1000.mbox)
#   FILL=store (default) writes the mailbox into the store directly, 500 messages per delivery commit
#   (the daemon not yet running; fast), FILL=daemon through the running daemon (message.store, about
#   100 times slower on a busy 2-core machine). KEEP_DATA=DIR keeps the data folder there.
# The daemon binds 127.0.0.1 on a free port and is stopped by its PID. Not a test: run by hand on a
# quiet machine (STYLE.md, habit 16); the load tool shares the cores with the daemon.
set -euo pipefail

root=$(pwd)
build=$(cd "${1:-src/Butterfly.Cli/bin/Release/net10.0}" && pwd)
count=${2:-100000}
rounds=${3:-50}
mbox=$(cd "$(dirname "${4:-../shared/corpus/synthetic-1000.mbox}")" && pwd)/$(basename "${4:-synthetic-1000.mbox}")
[ -f "$build/butterfly.dll" ] || { echo "no butterfly.dll in $build" >&2; exit 2; }
[ -f "$mbox" ] || { echo "no corpus at $mbox" >&2; exit 2; }

source "$(dirname "$0")/common.sh"
bench_start bf-mailbox

dotnet build "$root/tests/bench/MailboxBench" -c Release -o "$work/tool" >/dev/null
tool="dotnet $work/tool/MailboxBench.dll"

dir="$work/daemon"; mkdir -p "$dir"
port=$(free_port)
cat > "$dir/butterfly.json" <<JSON
{ "listen": "127.0.0.1:$port", "metrics": { "listen": "127.0.0.1:0" }$(web_off "$build"), "dataDirectory": "data", "domains": ["example.com"],
  "logging": { "LogLevel": { "Default": "Warning" } } }
JSON
echo 'bench-password' | dotnet "$build/butterfly.dll" user add "bench@example.com" --config "$dir/butterfly.json" --password-stdin >/dev/null
if [ "${FILL:-store}" = store ]; then
  echo "== load: $count messages from $(basename "$mbox") into the store, 500 per delivery commit"
  $tool load "$dir/data" bench@example.com "$mbox" "$count"
fi
dotnet "$build/butterfly.dll" serve --config "$dir/butterfly.json" > "$dir/serve.log" 2>&1 &
pid=$!
pids+=("$pid")
wait_for "$dir/serve.log" "butterfly: listening on"
if [ "${FILL:-store}" = daemon ]; then
  echo "== fill: $count messages from $(basename "$mbox") through the daemon (message.store)"
  $tool fill "127.0.0.1:$port" bench@example.com bench-password "$mbox" "$count"
fi
echo "== measure: $rounds requests per query, one at a time (ms)"
$tool measure "127.0.0.1:$port" bench@example.com bench-password "$rounds"
kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
echo "== sizes (bytes per message, on a VACUUMed copy)"
$tool sizes "$dir/data/butterfly.db"
if [ -n "${KEEP_DATA:-}" ]; then mkdir -p "$KEEP_DATA" && cp -r "$dir"/. "$KEEP_DATA"/; fi
