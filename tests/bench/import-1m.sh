#!/usr/bin/env bash
# Moving mail in: `butterfly import` of a COUNT-message mbox (1,000,000 by default) through the
# running daemon, measuring the rate and the peak RSS of both the CLI and the daemon; and the
# export -> import -> export round trip, checked byte for byte.
#
# The mbox is built in the work folder (under /tmp) from the 1,000-message corpus, repeated: copy r
# of a message gets the Message-ID <rR.ORIGINAL>, so every message is distinct (nothing is skipped as
# a duplicate) and the file is COUNT x ~10 KB (about 10 GB for a million; the data folder takes as
# much again). Peak RSS: `/usr/bin/time -v` for the CLI, VmHWM in /proc/PID/status for the daemon.
#
# usage (from the repository root, after `dotnet build src/Butterfly.Cli -c Release`):
#   tests/bench/import-1m.sh [BUILD_DIR] [COUNT] [MBOX]
#     BUILD_DIR  folder holding butterfly.dll (default src/Butterfly.Cli/bin/Release/net10.0)
#     COUNT      messages to import (default 1000000)
#     MBOX       the corpus (default ../shared/corpus/synthetic-1000.mbox)
#   KEEP=1 leaves the work folder (mbox, data folder, logs) in /tmp.
# The daemon binds 127.0.0.1 on a free port and is stopped by its PID. Not a test: run by hand
# (STYLE.md, habit 16); note the machine's load, printed before and after.
set -euo pipefail

root=$(pwd)
build=$(cd "${1:-src/Butterfly.Cli/bin/Release/net10.0}" && pwd)
count=${2:-1000000}
corpus=${3:-../shared/corpus/synthetic-1000.mbox}
[ -f "$corpus" ] || corpus=/work/shared/corpus/synthetic-1000.mbox
corpus=$(cd "$(dirname "$corpus")" && pwd)/$(basename "$corpus")
[ -f "$build/butterfly.dll" ] || { echo "no butterfly.dll in $build" >&2; exit 2; }
[ -f "$corpus" ] || { echo "no corpus at $corpus" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package: time)" >&2; exit 2; }

source "$(dirname "$0")/common.sh"
bench_start bf-import
if [ "${KEEP:-0}" = 1 ]; then trap 'for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; echo "kept $work"' EXIT; fi
bf="dotnet $build/butterfly.dll"
echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"

mbox="$work/import.mbox"
echo "== building $mbox: $count messages from $(basename "$corpus")"
build_mbox "$corpus" "$count" "$mbox"
echo "   $(stat -c %s "$mbox") bytes"

dir="$work/daemon"; mkdir -p "$dir"
port=$(free_port)
cat > "$dir/butterfly.json" <<JSON
{ "listen": "127.0.0.1:$port", "metrics": { "listen": "127.0.0.1:0" }$(web_off "$build"), "dataDirectory": "data", "domains": ["example.com"],
  "logging": { "LogLevel": { "Default": "Warning" } } }
JSON
echo 'bench-password' | $bf user add "bench@example.com" --config "$dir/butterfly.json" --password-stdin >/dev/null
$bf serve --config "$dir/butterfly.json" > "$dir/serve.log" 2>&1 &
pid=$!
pids+=("$pid")
wait_for "$dir/serve.log" "butterfly: listening on"
export BUTTERFLY_SERVER="127.0.0.1:$port" BUTTERFLY_USER=bench@example.com BUTTERFLY_PASSWORD=bench-password

echo "== round trip: export -> import -> export of the corpus"
$bf import bench@example.com "$corpus" --folder Round >/dev/null
$bf export bench@example.com --folder Round --format mbox "$work/round-1.mbox" >/dev/null
$bf import bench@example.com "$work/round-1.mbox" --folder Round-2 >/dev/null
$bf export bench@example.com --folder Round-2 --format mbox "$work/round-2.mbox" >/dev/null
if cmp -s "$work/round-1.mbox" "$work/round-2.mbox"; then echo "   export -> import -> export: byte-identical ($(stat -c %s "$work/round-1.mbox") bytes)"; else echo "   export -> import -> export: DIFFERENT"; fi
# Against the corpus itself only the From lines differ (the export writes MAILER-DAEMON and the stored date).
if diff -q <(grep -v '^From ' "$corpus") <(grep -v '^From ' "$work/round-1.mbox") >/dev/null; then echo "   every message identical to the corpus's"; else echo "   messages DIFFER from the corpus's"; fi
$bf folder empty Round --yes >/dev/null; $bf folder empty Round-2 --yes >/dev/null

echo "== import: $count messages"
start=$(date +%s.%N)
/usr/bin/time -v -o "$work/cli.time" $bf import bench@example.com "$mbox" --folder Import --json > "$work/import.json"
end=$(date +%s.%N)
cat "$work/import.json"
imported=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["imported"])' "$work/import.json")
echo "   elapsed $(python3 -c "print(f'{$end - $start:.1f}')") s, $(python3 -c "print(f'{$imported / ($end - $start):,.0f}')") messages/s"
echo "   CLI peak RSS: $(awk -F': ' '/Maximum resident set size/ { printf "%.0f MB", $2 / 1024 }' "$work/cli.time")"
echo "   daemon peak RSS (VmHWM): $(awk '/VmHWM/ { printf "%.0f MB", $2 / 1024 }' "/proc/$pid/status")"
echo "   data folder: $(du -sb "$dir/data" | cut -f1) bytes"
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
