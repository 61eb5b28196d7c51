# Shared by the bench scripts (sourced, not run): a work folder and the PIDs started, both
# cleaned up on exit; waiting for a line in a log; a free loopback port.
#   bench_start PREFIX   sets $work to a fresh temporary folder and arms the clean-up
#   pids+=("$pid")       registers a process to stop (SIGTERM, by its PID) on exit
#   release_build REPO [DIR]   sets $build (a Release build of REPO, or DIR) and $commit

bench_start() {
  work=$(mktemp -d "/tmp/$1.XXXXXX")
  pids=()
  trap bench_cleanup EXIT
}

bench_cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}

# release_build REPO [DIR]: sets $build to DIR (a folder holding butterfly.dll) or, when DIR is empty,
# to a Release build of REPO's src/Butterfly.Cli made now; $commit names REPO's checkout ("(src
# modified)" when src differs from HEAD).
release_build() {
  if [ -n "${2:-}" ]; then
    build=$(cd "$2" && pwd)
  else
    dotnet build "$1/src/Butterfly.Cli" -c Release -nologo -v q >&2
    build="$1/src/Butterfly.Cli/bin/Release/net10.0"
  fi
  [ -f "$build/butterfly.dll" ] || { echo "no butterfly.dll in $build" >&2; exit 2; }
  commit=$(git -C "$1" rev-parse --short HEAD 2>/dev/null || echo unknown)
  git -C "$1" diff --quiet HEAD -- src 2>/dev/null || commit="$commit (src modified)"
}

wait_for() { # FILE TEXT: wait up to 60 s for TEXT to appear in FILE
  for _ in $(seq 1 600); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "timed out waiting for '$2' in $1" >&2; cat "$1" >&2; return 1
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# web_off BUILD: the configuration fragment `, "web": { "listen": "" }` for builds that serve the web
# client (its default, 127.0.0.1:7480, would clash between two daemons or with one already running),
# nothing for older builds, which would refuse the unknown key; goes right after another entry.
web_off() { if grep -qa TokenLifetimeHours "$1/Butterfly.Server.dll" 2>/dev/null; then printf ', "web": { "listen": "" }'; fi; }

# A Butterfly daemon for the load benches (compare.sh, peers.sh), as root or not.
#   butterfly_start BUILD DIR DOMAIN PORT [PEER_DOMAIN PEER_PORT]
#     writes DIR/butterfly.json (client port 127.0.0.1:PORT, metrics on a free port, warnings only,
#     PEER_DOMAIN served by 127.0.0.1:PEER_PORT when given; bcrypt at cost 4 and up to 1,000 logins
#     waiting for a hashing thread, so that 50 clients logging in at once on a busy machine are
#     neither refused server.busy nor timed out: logins are not what the benches measure), adds alice@DOMAIN with the password
#     bench-password, starts `serve` and returns once it listens; $butterfly_pid is the daemon (in pids)
#   stop_pid PID   SIGTERM to one process started here, and waits for it
butterfly_start() {
  local build=$1 dir=$2 domain=$3 port=$4 peers=""
  if [ $# -ge 6 ]; then peers=", \"peers\": { \"$5\": { \"address\": \"127.0.0.1:$6\" } }"; fi
  mkdir -p "$dir"
  cat > "$dir/butterfly.json" <<JSON
{ "listen": "127.0.0.1:$port", "metrics": { "listen": "127.0.0.1:0" }$(web_off "$build"), "dataDirectory": "data", "domains": ["$domain"],
  "passwords": { "cost": 4, "allowWeakHashingForTests": true, "maxQueuedHashes": 1000 }, "logging": { "LogLevel": { "Default": "Warning" } }$peers }
JSON
  echo 'bench-password' | dotnet "$build/butterfly.dll" user add "alice@$domain" --config "$dir/butterfly.json" --password-stdin >/dev/null
  dotnet "$build/butterfly.dll" serve --config "$dir/butterfly.json" > "$dir/serve.log" 2>&1 &
  butterfly_pid=$!
  pids+=("$butterfly_pid")
  wait_for "$dir/serve.log" "butterfly: listening on"
}

stop_pid() { kill -TERM "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# build_mbox CORPUS COUNT OUT: appends COUNT messages to OUT, the corpus's repeated; copy r of a message
# gets the Message-ID <rR.ORIGINAL>, so every message is distinct (nothing skipped as a duplicate, one
# content row each in the store).
build_mbox() {
  local corpus=$1 left=$2 out=$3 per r=1 take
  per=$(grep -c '^From ' "$corpus")
  while [ "$left" -gt 0 ]; do
    take=$(( left < per ? left : per ))
    # In each message's header (from its From line to the first blank line) the Message-ID gets rR.
    mawk -v r="$r" -v take="$take" '
      /^From / { if (++n > take) exit; head = 1 }
      head && /^$/ { head = 0 }
      head && tolower(substr($0, 1, 11)) == "message-id:" { sub(/</, "<r" r ".") }
      { print }' "$corpus" >> "$out"
    left=$(( left - take )) r=$(( r + 1 ))
  done
}

# A private Postfix (Debian's package) for the SMTP benches, run as root.
#   postfix_config DIR HOSTNAME PORT   writes DIR/etc/main.cf with the settings every private instance
#                                      needs (append your own to it) and DIR/etc/master.cf: smtpd on
#                                      127.0.0.1:PORT and the private Postfix test fixture's service list
#                                      (tests/Butterfly.TestUtilities/PrivatePostfix.cs), one copy of it
#   postfix_start DIR                  checks the configuration and starts its master, registered in pids;
#                                      returns once PORT answers ($postfix_pid is the master)
postfix_config() {
  local dir=$1 name=$2 port=$3 fixture
  fixture="$(dirname "${BASH_SOURCE[0]}")/../Butterfly.TestUtilities/PrivatePostfix.cs"
  mkdir -p "$dir/etc" "$dir/queue" "$dir/data"
  chown postfix:postfix "$dir/data"
  cat > "$dir/etc/main.cf" <<CF
compatibility_level = 3.6
queue_directory = $dir/queue
data_directory = $dir/data
command_directory = /usr/sbin
daemon_directory = /usr/lib/postfix/sbin
meta_directory = /etc/postfix
shlib_directory = /usr/lib/postfix
mail_owner = postfix
setgid_group = postdrop
maillog_file = $dir/maillog
maillog_file_prefixes = $dir
myhostname = $name
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_peername_lookup = no
smtp_dns_support_level = disabled
alias_maps =
alias_database =
CF
  { echo "127.0.0.1:$port inet n - n - - smtpd"
    sed -n '/private const string Services = """/,/^        """;/p' "$fixture" | sed '1d;$d' | sed 's/^        //' | grep -v '^$'
  } > "$dir/etc/master.cf"
  postfix_port=$port
}

postfix_start() {
  local dir=$1
  postfix -c "$dir/etc" check
  MAIL_CONFIG="$dir/etc" /usr/lib/postfix/sbin/master -c "$dir/etc" -d > "$dir/master.log" 2>&1 &
  postfix_pid=$!
  pids+=("$postfix_pid")
  wait_for "$dir/maillog" "daemon started"
  for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.1/$postfix_port") 2>/dev/null && return 0; sleep 0.1; done
  echo "the private Postfix in $dir does not answer on 127.0.0.1:$postfix_port" >&2; return 1
}
