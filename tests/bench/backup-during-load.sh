#!/usr/bin/env bash
# Issue 15's backup figure: a backup taken while `butterfly bench send` writes restores to a mailbox
# identical to the snapshot's view. Starts a daemon (Release build), adds alice@localhost and
# bob@localhost, runs `bench send` from alice to bob (each send commits alice's Sent copy and bob's
# Inbox copy in one transaction), takes `butterfly backup` in the middle of it, lets the load finish,
# stops the daemon, then:
#   - `backup verify` the backup and `restore` it into an empty folder;
#   - compares, straight from the two databases (Python's sqlite3): every message of the restored
#     mailbox (account, folder, id) is in the live one with the same SHA-256, and bob's Inbox holds as
#     many as alice's Sent (a snapshot that cut a transaction in two would not);
#   - starts a daemon on the restored folder and reads the counts back through `butterfly folders`.
# Prints the counts, the backup's time and size, and the hashes of the two mailboxes' listings.
#
# usage (from the repository root): tests/bench/backup-during-load.sh [DIR]
#   DIR  folder holding butterfly.dll (default src/Butterfly.Cli/bin/Release/net10.0, after
#        `dotnet build src/Butterfly.Cli -c Release`)
#   SECONDS_OF_LOAD=20 CLIENTS=16 SIZE=10240  the load; the backup starts a third of the way in
# Not a test: run by hand (STYLE.md, habit 16). Figures go in tests/bench/README.md.
set -euo pipefail
root=$(pwd)
dir=$(cd "${1:-src/Butterfly.Cli/bin/Release/net10.0}" && pwd)
[ -f "$dir/butterfly.dll" ] || { echo "no butterfly.dll in $dir" >&2; exit 2; }
load="${SECONDS_OF_LOAD:-20}"
clients="${CLIENTS:-16}"
size="${SIZE:-10240}"
source "$root/tests/bench/common.sh"
bench_start bf-backup-load
bf() { dotnet "$dir/butterfly.dll" "$@"; }

port=$(free_port)
mkdir -p "$work/live" "$work/restored"
cat > "$work/live/butterfly.json" <<JSON
{ "listen": "127.0.0.1:$port", "metrics": { "listen": "127.0.0.1:0" }$(web_off "$dir"), "dataDirectory": "data", "domains": ["localhost"],
  "passwords": { "cost": 4, "allowWeakHashingForTests": true } }
JSON
echo "alice-password" | bf user add alice@localhost --password-stdin --config "$work/live/butterfly.json" > /dev/null
echo "bob-password" | bf user add bob@localhost --password-stdin --config "$work/live/butterfly.json" > /dev/null
(cd "$work/live" && exec dotnet "$dir/butterfly.dll" serve > serve.log 2>&1) & daemon=$!
pids+=("$daemon")
wait_for "$work/live/serve.log" "butterfly: listening on"

bf bench send --server "127.0.0.1:$port" --user alice@localhost --password alice-password --plain \
  --to bob@localhost --clients "$clients" --size "$size" --duration "$load" --warmup 0 > "$work/bench.out" 2>&1 & bench=$!
sleep "$(python3 -c "print($load / 3)")"
start=$(date +%s.%N)
bf backup "$work/backup" --config "$work/live/butterfly.json"
end=$(date +%s.%N)
wait "$bench"
kill -TERM "$daemon"; wait "$daemon" || true

bf backup verify "$work/backup"
bf restore "$work/backup" --data "$work/restored/data" > /dev/null
python3 - "$work/live/data/butterfly.db" "$work/restored/data/butterfly.db" <<'PY'
import hashlib, sqlite3, sys
def mailbox(path):
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    rows = db.execute("""SELECT a.address, f.name, m.id, hex(c.sha256) FROM messages m
        JOIN folders f ON f.id = m.folder_id JOIN accounts a ON a.id = f.account_id
        JOIN contents c ON c.id = m.content_id ORDER BY 1, 2, 3""").fetchall()
    return {(a, f, i): h for a, f, i, h in rows}
def digest(box):
    return hashlib.sha256("\n".join(f"{a} {f} {i} {h}" for (a, f, i), h in sorted(box.items())).encode()).hexdigest()[:16]
live, snap = mailbox(sys.argv[1]), mailbox(sys.argv[2])
count = lambda box, a, f: sum(1 for k in box if k[0] == a and k[1] == f)
missing = [k for k in snap if k not in live]
changed = [k for k in snap if k in live and live[k] != snap[k]]
print(f"live:     bob Inbox {count(live, 'bob@localhost', 'Inbox')}, alice Sent {count(live, 'alice@localhost', 'Sent')}, listing hash {digest(live)}")
print(f"snapshot: bob Inbox {count(snap, 'bob@localhost', 'Inbox')}, alice Sent {count(snap, 'alice@localhost', 'Sent')}, listing hash {digest(snap)}")
print(f"snapshot messages missing from the live mailbox: {len(missing)}; with other bytes: {len(changed)}")
live_prefix = {k: v for k, v in live.items() if k in snap}
print(f"the live mailbox cut to the snapshot's messages: listing hash {digest(live_prefix)} (identical: {digest(live_prefix) == digest(snap)})")
ok = not missing and not changed and count(snap, 'bob@localhost', 'Inbox') == count(snap, 'alice@localhost', 'Sent') > 0
print("consistent: yes" if ok else "consistent: NO")
sys.exit(0 if ok else 1)
PY

# The restored folder served by a daemon of its own.
rport=$(free_port)
cat > "$work/restored/butterfly.json" <<JSON
{ "listen": "127.0.0.1:$rport", "metrics": { "listen": "127.0.0.1:0" }$(web_off "$dir"), "dataDirectory": "data", "domains": ["localhost"],
  "passwords": { "cost": 4, "allowWeakHashingForTests": true } }
JSON
(cd "$work/restored" && exec dotnet "$dir/butterfly.dll" serve > serve.log 2>&1) & restored=$!
pids+=("$restored")
wait_for "$work/restored/serve.log" "butterfly: listening on"
echo "restored daemon, bob's folders:"
bf folders --server "127.0.0.1:$rport" --user bob@localhost --password bob-password --plain | sed 's/^/  /'
echo "load: $(grep -E 'sent|messages|/s' "$work/bench.out" | head -3 | tr '\n' ' ')"
printf 'backup: %.2f s, %s\n' "$(echo "$end - $start" | bc)" "$(du -sh "$work/backup" | cut -f1)"
