#!/usr/bin/env bash
# Moving an installation to PostgreSQL: `butterfly migrate` of a data folder holding COUNT distinct
# messages (20,000 by default, ~10 KB each, imported into SQLite through a daemon first), into an empty
# database of a private PostgreSQL cluster (Debian's postgresql; initdb in the work folder, fsync and
# synchronous_commit on, a free loopback port). Prints the copy time (to the first "verifying" line of
# the progress), the verification time, rows and bytes per second, the CLI's peak RSS, and both sizes.
#
# usage (from the repository root, as root, after `dotnet build src/Butterfly.Cli -c Release`):
#   tests/bench/migrate.sh [BUILD_DIR] [COUNT] [MBOX]
#     BUILD_DIR  folder holding butterfly.dll (default src/Butterfly.Cli/bin/Release/net10.0)
#     COUNT      messages in the installation (default 20000)
#     MBOX       the corpus they are made from (default ../shared/corpus/synthetic-1000.mbox)
# The daemon and the cluster are stopped by their PIDs / pg_ctl on exit. Not a test: run by hand
# (STYLE.md, habit 16); note the machine's load, printed before and after.
set -euo pipefail

build=$(cd "${1:-src/Butterfly.Cli/bin/Release/net10.0}" && pwd)
count=${2:-20000}
corpus=${3:-../shared/corpus/synthetic-1000.mbox}
[ -f "$corpus" ] || corpus=/work/shared/corpus/synthetic-1000.mbox
[ -f "$build/butterfly.dll" ] || { echo "no butterfly.dll in $build" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package: time)" >&2; exit 2; }
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$pg_bin/initdb" ] || { echo "needs Debian's postgresql package" >&2; exit 2; }

source "$(dirname "$0")/common.sh"
bench_start bf-migrate
pg="$work/pg"
pg_stop() { [ -f "$pg/data/postmaster.pid" ] && runuser -u postgres -- "$pg_bin/pg_ctl" stop -m fast -D "$pg/data" >/dev/null 2>&1 || true; }
trap 'pg_stop; bench_cleanup' EXIT
bf="dotnet $build/butterfly.dll"
echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"

echo "== the SQLite installation: $count messages"
build_mbox "$corpus" "$count" "$work/import.mbox"
dir="$work/daemon"
port=$(free_port)
butterfly_start "$build" "$dir" example.com "$port"
BUTTERFLY_SERVER="127.0.0.1:$port" BUTTERFLY_USER=alice@example.com BUTTERFLY_PASSWORD=bench-password \
  $bf import alice@example.com "$work/import.mbox" --folder Import --json >/dev/null
stop_pid "$butterfly_pid"
echo "   butterfly.db: $(stat -c %s "$dir/data/butterfly.db") bytes"

echo "== a private PostgreSQL cluster ($pg_bin)"
chmod 755 "$work"; mkdir -p "$pg/socket"; chown -R postgres: "$pg"
runuser -u postgres -- "$pg_bin/initdb" --no-sync -D "$pg/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
pgport=$(free_port)
runuser -u postgres -- "$pg_bin/pg_ctl" start -w -D "$pg/data" -l "$pg/server.log" \
  -o "-c listen_addresses=127.0.0.1 -c port=$pgport -c unix_socket_directories=$pg/socket -c fsync=on -c synchronous_commit=on" >/dev/null
"$pg_bin/psql" -q -h 127.0.0.1 -p "$pgport" -U postgres -c "CREATE DATABASE butterfly"
conn="Host=127.0.0.1;Port=$pgport;Username=postgres;Database=butterfly"

echo "== migrate"
start=$(date +%s.%N)
/usr/bin/time -v -o "$work/cli.time" $bf migrate --from "sqlite:$dir/data" --to "postgres:$conn" --json > "$work/migrate.json" \
  2> >(while IFS= read -r line; do echo "$(date +%s.%N) $line"; done > "$work/progress.log")
end=$(date +%s.%N)
sleep 0.2 # the progress reader's last lines
verify=$(awk '/"verifying"/ { print $1; exit }' "$work/progress.log")
python3 - "$work/migrate.json" "$start" "$verify" "$end" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); start, verify, end = map(float, sys.argv[2:5])
copy, check = verify - start, end - verify
print(f"   outcome {r['outcome']}: {r['rows']:,} rows, {r['bytes']:,} bytes, {r['contentsVerified']:,} content hashes verified")
for t in r["tables"]:
    if t["targetRows"]: print(f"     {t['table']}: {t['targetRows']:,} rows, {t['bytes']:,} bytes")
print(f"   copy (open, migrations, COPY, commit): {copy:.1f} s, {r['rows'] / copy:,.0f} rows/s, {r['bytes'] / copy / 1e6:.1f} MB/s")
print(f"   verification (both read back, hashes): {check:.1f} s, {r['bytes'] / check / 1e6:.1f} MB/s")
print(f"   total {end - start:.1f} s")
PY
echo "   CLI peak RSS: $(awk -F': ' '/Maximum resident set size/ { printf "%.0f MB", $2 / 1024 }' "$work/cli.time")"
echo "   PostgreSQL database: $("$pg_bin/psql" -tA -h 127.0.0.1 -p "$pgport" -U postgres -d butterfly -c "SELECT pg_database_size('butterfly')") bytes"
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
