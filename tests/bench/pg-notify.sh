#!/usr/bin/env bash
# Issue 17: why PostgresMailStore sends its notifications after the commit, on a connection of their own
# with synchronous_commit off, and not inside the write transaction. PostgreSQL takes a database-wide lock
# for a transaction that has notified, from its pre-commit until after its commit record is flushed, so
# concurrent writers that notify commit one flush at a time instead of sharing flushes. This starts a
# private cluster (Debian's postgresql, fsync on) in a temp folder and runs pgbench with CLIENTS
# connections for SECONDS each on three scripts, a small UPDATE standing for a delivery commit:
#   plain   the write alone;
#   inside  the write with pg_notify inside its transaction (what the issue first suggested);
#   after   the write, then pg_notify in a transaction of its own with synchronous_commit off (what the store
#           does, but one notification per write: the store sends one per batch of commits, so this is its worst case).
# A session LISTENs throughout, as another daemon would. Prints each script's transactions per second.
#
# usage (from anywhere): tests/bench/pg-notify.sh     CLIENTS=16 SECONDS_EACH=10
# Not a test: run by hand (STYLE.md, habit 16).
set -euo pipefail
clients="${CLIENTS:-16}"
seconds="${SECONDS_EACH:-10}"
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
[ -x "$bin/pgbench" ] || { echo "needs Debian's postgresql package ($bin/pgbench)" >&2; exit 2; }
work=$(mktemp -d /tmp/pg-notify.XXXXXX)
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$work"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cleanup() {
  [ -n "${listener:-}" ] && kill "$listener" 2>/dev/null || true
  as_owner "$bin/pg_ctl" stop -m fast -D "$work/data" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
as_owner "$bin/initdb" --no-sync -D "$work/data" -U postgres -A trust >/dev/null
as_owner "$bin/pg_ctl" start -w -D "$work/data" -l "$work/log" -o "-p $port -k $work -c listen_addresses=''" >/dev/null
psql() { as_owner "$bin/psql" -h "$work" -p "$port" -U postgres -q "$@"; }
psql -c "CREATE TABLE t (id int PRIMARY KEY, v bigint); INSERT INTO t SELECT g, 0 FROM generate_series(1, 1000) g;"
psql -c "LISTEN butterfly_commits; SELECT pg_sleep(100000)" >/dev/null 2>&1 &
listener=$!

write='\set id random(1, 1000)
BEGIN;
UPDATE t SET v = v + 1 WHERE id = :id;'
printf '%s\nCOMMIT;\n' "$write" > "$work/plain.sql"
printf '%s\nSELECT pg_notify('"'"'butterfly_commits'"'"', '"'"'x '"'"' || :id);\nCOMMIT;\n' "$write" > "$work/inside.sql"
printf '%s\nCOMMIT;\nBEGIN;\nSET LOCAL synchronous_commit = off;\nSELECT pg_notify('"'"'butterfly_commits'"'"', '"'"'x '"'"' || :id);\nCOMMIT;\n' "$write" > "$work/after.sql"
chmod 644 "$work"/*.sql
echo "clients=$clients seconds=$seconds PostgreSQL $("$bin/postgres" --version | awk '{print $3}')"
for script in plain inside after; do
  tps=$(as_owner "$bin/pgbench" -h "$work" -p "$port" -U postgres -n -c "$clients" -j 2 -T "$seconds" -f "$work/$script.sql" postgres 2>&1 | awk '/^tps/ {print $3}')
  printf '%-7s %8.0f writes/s\n' "$script" "$tps"
done
