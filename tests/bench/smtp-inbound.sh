#!/usr/bin/env bash
# Inbound SMTP acceptance rate, Butterfly's gateway against Postfix's own smtpd, side by side in
# one run (issue 14, closing note): Postfix's `smtp-source` sends MESSAGES messages of 10 KB over
# 20 parallel sessions, one message per connection (as MX traffic mostly comes), to
#   postfix     a private Postfix (Debian's package) on loopback: smtpd → queue (fsync) → Maildir;
#   butterfly   the gateway (smtp.listen) → delivery pipeline → SQLite commit (fsync) → 250,
#               sender checks off (Postfix checks no SPF/DKIM/DMARC by default either);
#   butterfly+checks  the same with SPF, DKIM and DMARC on, DNS answered NXDOMAIN by a local
#               server (a python3 stub), so every message costs its lookups' round trips.
# Prints messages per second for each. Each receiver gets the same machine, one after the other.
#
# usage (from the repository root, as root: Postfix's daemons need it):
#   dotnet build src/Butterfly.Cli -c Release
#   tests/bench/smtp-inbound.sh [BUILD_DIR] [MESSAGES]
#     BUILD_DIR  folder holding butterfly.dll (default src/Butterfly.Cli/bin/Release/net10.0)
#     MESSAGES   messages per receiver (default 2000)
# Not a test: run by hand (STYLE.md, habit 16).
set -euo pipefail

build=$(cd "${1:-src/Butterfly.Cli/bin/Release/net10.0}" && pwd)
messages=${2:-2000}
sessions=20
size=10240
[ -f "$build/butterfly.dll" ] || { echo "no butterfly.dll in $build" >&2; exit 2; }
command -v smtp-source >/dev/null || { echo "smtp-source is missing: apt-get install postfix" >&2; exit 2; }

source "$(dirname "$0")/common.sh"
bench_start bf-smtp-inbound
chmod 755 "$work"
cli="dotnet $build/butterfly.dll"

# run_source PORT: sends the messages, prints messages per second.
run_source() {
  local start end
  start=$(date +%s.%N)
  smtp-source -s "$sessions" -m "$messages" -l "$size" -M client.outside.test \
    -f sender@outside.test -t alice@example.org "127.0.0.1:$1"
  end=$(date +%s.%N)
  python3 -c "import sys; print('%.0f' % ($messages / (float(sys.argv[2]) - float(sys.argv[1]))))" "$start" "$end"
}

# A DNS server that answers every query NXDOMAIN at once (for the sender checks' lookups).
start_nxdomain_dns() {
  dns_port=$(free_port)
  python3 - "$dns_port" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", int(sys.argv[1])))
while True:
    q, a = s.recvfrom(512)
    # Same id and question, QR=1, RD/RA, RCODE=3 (NXDOMAIN), no answers.
    s.sendto(q[:2] + bytes([0x81, 0x83]) + q[4:6] + b"\0\0\0\0\0\0" + q[12:], a)
PY
  pids+=("$!")
}

start_butterfly() { # DIR CHECKS
  local dir=$1
  smtp_port=$(free_port)
  mkdir -p "$dir"
  cat > "$dir/butterfly.json" <<JSON
{ "listen": "127.0.0.1:$(free_port)", "metrics": { "listen": "127.0.0.1:0" }$(web_off "$build"), "dataDirectory": "data", "domains": ["example.org"],
  "serverName": "mx.example.org",
  "smtp": { "listen": "127.0.0.1:$smtp_port", "checkSenders": $2 },
  "dns": { "servers": ["127.0.0.1:${dns_port:-53}"], "timeoutSeconds": 1, "attempts": 1 },
  "limits": { "maxConnectionsPerAddress": 1000 },
  "logging": { "LogLevel": { "Default": "Warning" } } }
JSON
  echo bench-password | $cli user add alice@example.org --config "$dir/butterfly.json" --password-stdin >/dev/null
  $cli serve --config "$dir/butterfly.json" > "$dir/serve.log" 2>&1 &
  pids+=("$!")
  butterfly_pid=$!
  wait_for "$dir/serve.log" "butterfly: smtp listening on"
}

start_postfix() {
  local dir=$work/postfix
  postfix_config "$dir" mx.example.org "$(free_port)"
  mkdir -p "$dir/mail"
  chown postfix:postfix "$dir/mail"
  cat >> "$dir/etc/main.cf" <<CF
local_recipient_maps =
virtual_mailbox_domains = example.org
virtual_mailbox_base = $dir/mail
virtual_mailbox_maps = texthash:$dir/etc/vmailbox
virtual_uid_maps = static:$(id -u postfix)
virtual_gid_maps = static:$(id -g postfix)
default_process_limit = 100
CF
  echo "@example.org example.org/" > "$dir/etc/vmailbox"
  postfix_start "$dir"
}

start_postfix
postfix_rate=$(run_source "$postfix_port")
kill -TERM "$postfix_pid"; wait "$postfix_pid" 2>/dev/null || true

start_butterfly "$work/butterfly" false
butterfly_rate=$(run_source "$smtp_port")
kill -TERM "$butterfly_pid"; wait "$butterfly_pid" 2>/dev/null || true

start_nxdomain_dns
start_butterfly "$work/butterfly-checks" true
checks_rate=$(run_source "$smtp_port")
kill -TERM "$butterfly_pid"; wait "$butterfly_pid" 2>/dev/null || true

printf '%-18s %12s\n' receiver messages/s
printf '%-18s %12s\n' postfix "$postfix_rate" butterfly "$butterfly_rate" butterfly+checks "$checks_rate"
echo "($messages messages of $size bytes, $sessions sessions, one message per connection)"
