#!/usr/bin/env bash
# Butterfly against the servers people would pick instead, on this machine, in one run (issue 16,
# "Benchmarks anyone can rerun"): Postfix and Redis from Debian's packages, each started privately
# on loopback, Butterfly and the peer in alternating rounds (the order rotates every round, so a
# change in the machine's speed falls on all alike). Prints every run, then per mode and server
# the median, min and max throughput, the medians of p50/p99/max latency and of the server's CPU
# time per message or request, and Butterfly's median over each peer's; writes the same table as
# markdown (PEERS_OUT, default peers-results.md in the current folder).
#
# The modes (PEERS_MODES, default "durable ping1 ping16 relay"):
#   durable  10 KB messages stored durably, 32 clients:
#            butterfly  `butterfly bench send --clients 32 --size 10240` (alice to herself: Inbox and
#                       Sent, one SQLite commit, WAL fsync, before the answer);
#            postfix    `smtp-source -d -s 32 -l 10240` (32 sessions, each kept open) into a private
#                       Postfix whose transport sends the domain to `discard:`: smtpd answers 250
#                       once cleanup has fsynced the queue file; qmgr then hands it to discard,
#                       which drops it. The rate is smtp-source's messages over its run (acceptance);
#                       the CPU is the whole instance's until every message is discarded;
#            redis      `redis-benchmark -t set -d 10240 -c 32` against `appendonly yes`,
#                       `appendfsync always` (each write fsynced to the AOF before the answer).
#   ping1    unpipelined requests, 50 clients: `butterfly bench ping --clients 50 --pipeline 1`
#            against `redis-benchmark -t ping_mbulk -c 50 -P 1`.
#   ping16   the same with 16 requests in flight per client (`--pipeline 16`, `-P 16`).
#   relay    server to server, 10 KB, measured until the second server holds every message:
#            butterfly  `butterfly bench relay --clients 16 --pipeline 4` between two daemons
#                       (until the recipient's Inbox holds all of them);
#            postfix    `smtp-source -d -s 16` → Postfix A → smtp → Postfix B (discard:), until
#                       A's log has a `status=sent` (B's 250, after B's fsync) for every message.
# Latencies: Butterfly's from the bench tool (each request, send to answer), Redis's from
# redis-benchmark (p50/p99/max, per pipelined batch with -P 16); smtp-source and the relay give none.
# CPU per message or request: (utime + stime + cutime + cstime) summed over the server's process
# tree (/proc/PID/stat of the daemon or master and all its descendants), end of the run minus
# start (for Butterfly from the bench tool's "measuring" line, after its logins and warm-up; bcrypt
# logins would otherwise weigh in): a child that exits during the run is counted through its parent's cutime/cstime once
# reaped, so Postfix's figure is its master and every child (smtpd, cleanup, qmgr, discard,
# postlogd, trivial-rewrite, smtp), Butterfly's and Redis's their one process (all threads).
# The load tools' CPU is not in it. Also printed: the fsync latency of the disk the temporary
# folder is on (python3 appending 4 KB + os.fsync, 1,000 times).
#
# Count-based runs (smtp-source, redis-benchmark, bench relay) are sized from a calibration run
# made before the rounds (not recorded), to last about SECONDS each.
#
# usage (from anywhere in the repository, as root: Postfix's master needs it; apt-get if missing):
#   tests/bench/peers.sh [ROUNDS] [SECONDS]        (defaults 5 and 10)
#   PEERS_MODES="durable ping1"   pick modes
#   PEERS_BUILD_DIR=DIR           measure the butterfly.dll in DIR instead of building this checkout
#   PEERS_OUT=FILE                where the markdown table goes
#   PEERS_REDIS_THREADS=N         redis-benchmark --threads N (default: one thread, which on two cores
#                                 can be what limits Redis's PING rate; its CPU per request is not)
# Installs postfix (preseeded "No configuration", so no system instance is set up), redis-server
# and redis-tools with apt-get when missing (installing redis-server may start Debian's own
# instance on 6379; this script uses neither it nor that port). Every server binds 127.0.0.1 on a
# free port, in a temporary folder, and is stopped by its PID on exit. Not a test (STYLE.md, habit
# 16): run by hand, on a quiet machine for figures worth comparing.
set -euo pipefail

rounds=${1:-5}
seconds=${2:-10}
modes=${PEERS_MODES:-"durable ping1 ping16 relay"}
out=${PEERS_OUT:-peers-results.md}
repo=$(cd "$(dirname "$0")/../.." && pwd)
size=10240

# The peers, from Debian's packages, when missing.
need=()
{ [ -x /usr/sbin/postfix ] && command -v smtp-source >/dev/null; } || need+=(postfix)
command -v redis-server >/dev/null || need+=(redis-server)
command -v redis-benchmark >/dev/null || need+=(redis-tools)
command -v python3 >/dev/null || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]}" >&2
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${need[@]}"
fi

source "$(dirname "$0")/common.sh"
release_build "$repo" "${PEERS_BUILD_DIR:-}"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
bench_start bf-peers
trap 'echo "peers.sh: line $LINENO failed: $BASH_COMMAND" >&2' ERR
chmod 755 "$work"   # Postfix's daemons run as postfix and must reach their queue
export BUTTERFLY_PASSWORD=bench-password BUTTERFLY_TO_PASSWORD=bench-password
bf() { dotnet "$build/butterfly.dll" "$@"; }
now() { date +%s.%N; }
hz=$(getconf CLK_TCK)

# tree_ticks PID...: CPU ticks (utime + stime + cutime + cstime) of each PID and all its descendants.
# tree_ticks --when TEXT FILE PID...: reads stdin to its end, and writes the ticks to FILE at the
#   first line holding TEXT (the bench tool's "measuring" line: after the logins and the warm-up).
tree_ticks() { python3 "$repo/tests/bench/tree-ticks.py" "$@"; }

# bench_measured FILE TEXT PID... -- BENCH-ARGS: runs `butterfly bench` (text output, kept in
# FILE) and sets $ticks to the CPU ticks of the PIDs from the TEXT progress line to the tool's exit.
bench_measured() {
  local file=$1 text=$2; shift 2
  local roots=(); while [ "$1" != "--" ]; do roots+=("$1"); shift; done; shift
  rm -f "$file.t0"
  bf bench "$@" 2> >(tree_ticks --when "$text" "$file.t0" "${roots[@]}") > "$file"
  local end; end=$(tree_ticks "${roots[@]}")
  for _ in $(seq 1 100); do [ -f "$file.t0" ] && break; sleep 0.05; done
  ticks=$(( end - $(cat "$file.t0") ))
}

# bench_text FILE: "throughput requests p50 p99 max" from `bench ping|send` text, or "throughput
# count" from `bench relay` (delivered end to end).
bench_text() {
  python3 - "$1" <<'PY'
import re, sys
text = open(sys.argv[1]).read().replace(",", "")
if m := re.search(r"bench relay: (\d+) messages.*?delivered\s+([\d.]+) s", text, re.S):
    print(round(int(m[1]) / float(m[2]), 1), m[1])
else:
    n = re.search(r"(?:requests|messages)\s+(\d+)", text)[1]
    seconds = float(re.search(r"([\d.]+) s measured", text)[1])
    lat = re.search(r"p50 ([\d.]+) ms\s+p99 ([\d.]+) ms\s+max ([\d.]+) ms", text)
    print(round(int(n) / seconds, 1), n, lat[1], lat[2], lat[3])
PY
}

# cpu_us TICKS COUNT: microseconds of CPU per message or request.
cpu_us() { python3 -c 'import sys; print(round(int(sys.argv[1]) / int(sys.argv[3]) * 1e6 / max(1, int(sys.argv[2])), 1))' "$1" "$2" "$hz"; }
rate() { python3 -c 'import sys; print(round(int(sys.argv[1]) / (float(sys.argv[3]) - float(sys.argv[2])), 1))' "$@"; }

# The fsync latency of the disk under $work.
fsync_line=$(python3 - "$work" <<'PY'
import os, sys, time
path = os.path.join(sys.argv[1], "fsync.probe")
fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
block, times = os.urandom(4096), []
for _ in range(1000):
    start = time.perf_counter()
    os.write(fd, block)
    os.fsync(fd)
    times.append((time.perf_counter() - start) * 1000)
os.close(fd)
os.remove(path)
times.sort()
print(f"p50 {times[499]:.3f} ms, p99 {times[989]:.3f} ms, max {times[-1]:.3f} ms")
PY
)
fsync_fs=$(df -PT "$work" | awk 'NR == 2 { print $2 " on " $1 }')
echo "fsync (4 KB appended + fsync, 1,000 times, $fsync_fs): $fsync_line" >&2

# --- the servers -------------------------------------------------------------------------------

# postfix_instance DIR NAME DOMAIN TRANSPORT: a private Postfix taking mail for DOMAIN and handing
# it to TRANSPORT (discard: or smtp:[127.0.0.1]:PORT); sets $postfix_pid and $postfix_port.
postfix_instance() {
  local dir=$1
  postfix_config "$dir" "$2" "$(free_port)"
  cat >> "$dir/etc/main.cf" <<CF
relay_domains = $3
transport_maps = texthash:$dir/etc/transport
default_process_limit = 100
CF
  echo "$3 $4" > "$dir/etc/transport"
  postfix_start "$dir"
}

redis_instance() { # DIR DURABLE(yes|no): sets $redis_pid and $redis_port
  local dir=$1 aof=()
  [ "$2" = yes ] && aof=(--appendonly yes --appendfsync always)
  redis_port=$(free_port)
  mkdir -p "$dir"
  redis-server --bind 127.0.0.1 --port "$redis_port" --dir "$dir" --save '' --daemonize no "${aof[@]}" > "$dir/redis.log" 2>&1 &
  redis_pid=$!
  pids+=("$redis_pid")
  wait_for "$dir/redis.log" "Ready to accept connections"
}

sent_count() { grep -c 'status=sent' "$1/maillog" 2>/dev/null || true; }

# --- one run -----------------------------------------------------------------------------------
# run MODE SUBJECT COUNT: prints, last, "throughput count p50 p99 max cpu_us" (latencies in ms, -
# when the tool gives none). COUNT sizes the count-based runs; duration-based ones ignore it. Run
# in this shell (its output to a file, not through $(...)) so that what it starts is in pids.
run() {
  local mode=$1 subject=$2 count=$3 dir="$work/run-$1-$2-$RANDOM" port tput n p50 p99 max ticks result
  case "$mode/$subject" in
    durable/butterfly|ping1/butterfly|ping16/butterfly)
      port=$(free_port)
      butterfly_start "$build" "$dir" localhost "$port"
      local load=(--server "127.0.0.1:$port" --user alice@localhost --duration "$seconds")
      case "$mode" in
        durable) load=(send "${load[@]}" --clients 32 --size "$size") ;;
        ping1)   load=(ping "${load[@]}" --clients 50 --pipeline 1) ;;
        ping16)  load=(ping "${load[@]}" --clients 50 --pipeline 16) ;;
      esac
      bench_measured "$dir/bench.txt" measuring "$butterfly_pid" -- "${load[@]}"
      stop_pid "$butterfly_pid"
      read -r tput n p50 p99 max < <(bench_text "$dir/bench.txt")
      echo "$tput $n $p50 $p99 $max $(cpu_us "$ticks" "$n")"
      ;;
    durable/postfix)
      postfix_instance "$dir" postfix.bench b.example discard:
      smtp-source -d -s 32 -m 64 -l "$size" -f alice@a.example -t bob@b.example "127.0.0.1:$postfix_port"   # warm-up
      until [ "$(sent_count "$dir")" -ge 64 ]; do sleep 0.05; done
      ticks=$(tree_ticks "$postfix_pid")
      local start end; start=$(now)
      smtp-source -d -s 32 -m "$count" -l "$size" -f alice@a.example -t bob@b.example "127.0.0.1:$postfix_port"
      end=$(now)
      # The rate is acceptance; the CPU also covers discarding what was accepted (the log's status=sent).
      until [ "$(sent_count "$dir")" -ge $((count + 64)) ]; do sleep 0.05; done
      ticks=$(( $(tree_ticks "$postfix_pid") - ticks ))
      stop_pid "$postfix_pid"
      echo "$(rate "$count" "$start" "$end") $count - - - $(cpu_us "$ticks" "$count")"
      ;;
    durable/redis|ping1/redis|ping16/redis)
      local durable=yes args=()
      case "$mode" in
        durable) args=(-t set -d "$size" -c 32) ;;
        ping1)   args=(-t ping_mbulk -c 50 -P 1); durable=no ;;
        ping16)  args=(-t ping_mbulk -c 50 -P 16); durable=no ;;
      esac
      [ "${PEERS_REDIS_THREADS:-1}" -gt 1 ] && args+=(--threads "$PEERS_REDIS_THREADS")
      redis_instance "$dir" "$durable"
      redis-benchmark -h 127.0.0.1 -p "$redis_port" "${args[@]}" -n 1000 -q > /dev/null   # warm-up
      ticks=$(tree_ticks "$redis_pid")
      result=$(redis-benchmark -h 127.0.0.1 -p "$redis_port" "${args[@]}" -n "$count" --csv | tail -1 | tr -d '"' \
        | awk -F, '{ print $2, $5, $7, $8 }')
      ticks=$(( $(tree_ticks "$redis_pid") - ticks ))
      stop_pid "$redis_pid"
      read -r tput p50 p99 max <<< "$result"
      echo "$tput $count $p50 $p99 $max $(cpu_us "$ticks" "$count")"
      ;;
    relay/butterfly)
      local port_b pid_a pid_b relay; port=$(free_port); port_b=$(free_port)
      butterfly_start "$build" "$dir/b" b.example "$port_b" a.example "$port"; pid_b=$butterfly_pid
      butterfly_start "$build" "$dir/a" a.example "$port" b.example "$port_b"; pid_a=$butterfly_pid
      relay=(relay --server "127.0.0.1:$port" --user alice@a.example --to alice@b.example --to-server "127.0.0.1:$port_b" --clients 16 --pipeline 4)
      bf bench "${relay[@]}" --count 200 > /dev/null 2>&1   # warm-up
      bench_measured "$dir/bench.txt" "bench relay: sending" "$pid_a" "$pid_b" -- "${relay[@]}" --count "$count"
      stop_pid "$pid_a"; stop_pid "$pid_b"
      read -r tput n < <(bench_text "$dir/bench.txt")
      echo "$tput $n - - - $(cpu_us "$ticks" "$n")"
      ;;
    relay/postfix)
      local pid_a pid_b port_b start end
      postfix_instance "$dir/b" b.bench b.example discard:; pid_b=$postfix_pid; port_b=$postfix_port
      postfix_instance "$dir/a" a.bench b.example "smtp:[127.0.0.1]:$port_b"; pid_a=$postfix_pid
      smtp-source -d -s 16 -m 64 -l "$size" -f alice@a.example -t alice@b.example "127.0.0.1:$postfix_port"   # warm-up
      until [ "$(sent_count "$dir/a")" -ge 64 ] && [ "$(sent_count "$dir/b")" -ge 64 ]; do sleep 0.05; done
      ticks=$(( $(tree_ticks "$pid_a") + $(tree_ticks "$pid_b") ))
      start=$(now)
      smtp-source -d -s 16 -m "$count" -l "$size" -f alice@a.example -t alice@b.example "127.0.0.1:$postfix_port"
      until [ "$(sent_count "$dir/a")" -ge $((count + 64)) ]; do sleep 0.02; done
      end=$(now)
      until [ "$(sent_count "$dir/b")" -ge $((count + 64)) ]; do sleep 0.05; done   # B's discards, for the CPU
      ticks=$(( $(tree_ticks "$pid_a") + $(tree_ticks "$pid_b") - ticks ))
      stop_pid "$pid_a"; stop_pid "$pid_b"
      echo "$(rate "$count" "$start" "$end") $count - - - $(cpu_us "$ticks" "$count")"
      ;;
    *) echo "unknown mode/subject $mode/$subject" >&2; return 2 ;;
  esac
  rm -rf "$dir"
}

subjects_of() {
  case "$1" in
    durable) echo "butterfly postfix redis" ;;
    ping1|ping16) echo "butterfly redis" ;;
    relay) echo "butterfly postfix" ;;
    *) echo "unknown mode $1 (durable, ping1, ping16, relay)" >&2; return 2 ;;
  esac
}

# Count-based runs: a first guess, then what the calibration run's rate gives for SECONDS.
declare -A count
guess() {
  case "$1/$2" in
    durable/postfix|relay/*) echo 300 ;;
    durable/redis) echo 1000 ;;
    ping1/redis) echo 20000 ;;
    ping16/redis) echo 100000 ;;
    *) echo 0 ;;   # duration-based
  esac
}

results="$work/results.tsv"
: > "$results"
printf '%-8s %-10s %-5s %12s %9s %9s %9s %9s %10s\n' mode server round per-second count p50-ms p99-ms max-ms cpu-us >&2
for mode in $modes; do
  read -r -a subjects <<< "$(subjects_of "$mode")"
  for subject in "${subjects[@]}"; do
    count[$subject]=$(guess "$mode" "$subject")
    if [ "${count[$subject]}" -gt 0 ]; then
      run "$mode" "$subject" "${count[$subject]}" > "$work/run.out"
      read -r tput _ < <(tail -1 "$work/run.out")
      count[$subject]=$(python3 -c 'import sys; print(max(int(sys.argv[3]) // 2, int(float(sys.argv[1]) * float(sys.argv[2]))))' "$tput" "$seconds" "${count[$subject]}")
      echo "calibration: $mode $subject $tput/s, $((count[$subject])) per run" >&2
    fi
  done
  for round in $(seq 1 "$rounds"); do
    for i in $(seq 0 $((${#subjects[@]} - 1))); do
      subject=${subjects[$(( (i + round - 1) % ${#subjects[@]} ))]}   # rotate the order every round
      run "$mode" "$subject" "${count[$subject]}" > "$work/run.out"
      read -r tput c p50 p99 max cpu < <(tail -1 "$work/run.out")
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$mode" "$subject" "$round" "$tput" "$c" "$p50" "$p99" "$max" "$cpu" >> "$results"
      printf '%-8s %-10s %-5s %12s %9s %9s %9s %9s %10s\n' "$mode" "$subject" "$round" "$tput" "$c" "$p50" "$p99" "$max" "$cpu" >&2
    done
  done
done

postfix_version=$(postconf -d -h mail_version 2>/dev/null || echo "?")
redis_version=$(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p')
python3 - "$results" "$out" <<PY
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
labels = {"durable": "durable 10 KB, 32 clients", "ping1": "PING P1, 50 clients", "ping16": "PING P16, 50 clients", "relay": "relay 10 KB, to a 2nd server"}
def med(vals):
    vals = [float(v) for v in vals if v != "-"]
    return statistics.median(vals) if vals else None
def f(v, digits=2):
    return "-" if v is None else f"{v:,.{digits}f}"
table = []
for mode in dict.fromkeys(r[0] for r in rows):
    of = lambda s: [r for r in rows if r[0] == mode and r[1] == s]
    base = med(r[3] for r in of("butterfly"))
    for subject in dict.fromkeys(r[1] for r in rows if r[0] == mode):
        rs = of(subject)
        tputs = [float(r[3]) for r in rs]
        m = statistics.median(tputs)
        ratio = "1.00" if subject == "butterfly" else ("-" if base is None else f"{base / m:.2f}")
        table.append([labels.get(mode, mode), subject, f(m, 0), f(min(tputs), 0), f(max(tputs), 0), ratio,
                      f(med(r[5] for r in rs), 3), f(med(r[6] for r in rs), 3), f(med(r[7] for r in rs), 3), f(med(r[8] for r in rs), 1)])
head = ["mode", "server", "median /s", "min /s", "max /s", "butterfly ÷ it", "p50 ms", "p99 ms", "max ms", "CPU µs each"]
widths = [max(len(str(x)) for x in col) for col in zip(head, *table)]
print()
for line in [head] + table:
    print("  ".join(str(x).rjust(w) if i > 1 else str(x).ljust(w) for i, (x, w) in enumerate(zip(line, widths))))
print()
notes = [
    "$rounds rounds of about $seconds s per server and mode, alternating; medians; latencies are medians over the rounds.",
    "CPU: the server's process tree (utime + stime + cutime + cstime), per message or request; Postfix's includes qmgr and the discard deliveries; relay: both servers.",
    "Butterfly's durable messages are stored twice (Inbox and Sent, one commit) and indexed for search; Postfix's are queued (fsync) then discarded; Redis's each appended to the AOF (fsync).",
    "Latencies: Butterfly's per request (bench tool), Redis's per request or, with P16, per pipelined batch (redis-benchmark); smtp-source and the relays give none.",
    "fsync of the disk ($fsync_fs), 4 KB appended + fsync x 1,000: $fsync_line.",
    "Butterfly $commit ($build); Postfix $postfix_version; Redis $redis_version (redis-benchmark threads: ${PEERS_REDIS_THREADS:-1}); $(nproc) cores; load average $load_before before, LOAD_AFTER after.",
]
import os
load_after = " ".join(open("/proc/loadavg").read().split()[:3])
notes = [n.replace("LOAD_AFTER", load_after) for n in notes]
for n in notes:
    print(n)
with open(sys.argv[2], "w") as md:
    md.write("| " + " | ".join(head) + " |\n|" + "---|" * len(head) + "\n")
    for line in table:
        md.write("| " + " | ".join(line) + " |\n")
    md.write("\n" + "\n".join(f"- {n}" for n in notes) + "\n")
print(f"(markdown: {os.path.abspath(sys.argv[2])})")
PY
