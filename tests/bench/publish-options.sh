#!/usr/bin/env bash
# Size and cold start of each publish variant of deploy/publish.sh (single, compressed, r2r,
# r2r-compressed, trimmed): publishes each into a work folder, then starts the executable RUNS times
# on a fresh data folder and measures, from exec: the "butterfly: listening on" line, and the first
# reply on the client port (a `hello` answered; `ping` needs a login, whose bcrypt cost would be
# measured instead). The trimmed variant's trim warnings are counted from its build output.
#
# usage (from the repository root): tests/bench/publish-options.sh [VARIANT...]   (default: all)
#   RUNS=5  starts per variant; RID=linux-x64
# Not a test: run by hand (STYLE.md, habit 16). Figures go in tests/bench/README.md.
set -euo pipefail
root=$(pwd)
source "$root/tests/bench/common.sh"
bench_start bf-publish
runs="${RUNS:-5}"
rid="${RID:-linux-x64}"
variants=("$@")
[ ${#variants[@]} -eq 0 ] && variants=(single compressed r2r r2r-compressed trimmed)

# The committed tree (HEAD) in a folder of its own: publishing restores for one runtime, which would
# clash with builds running meanwhile in the working tree's obj/ folders.
mkdir -p "$work/src"
git -C "$root" archive HEAD | tar -x -C "$work/src"
echo "publishing $(git -C "$root" rev-parse --short HEAD) for $rid; load average $(cut -d' ' -f1-3 /proc/loadavg)"

printf '%-15s %10s %8s %14s %14s\n' variant size_MB warnings listening_ms first_reply_ms
for variant in "${variants[@]}"; do
  out="$work/$variant"
  VARIANT=$variant OUT=$out "$work/src/deploy/publish.sh" "$rid" > "$work/$variant.log" 2>&1 || { echo "$variant: publish failed (see below)"; tail -20 "$work/$variant.log"; continue; }
  size=$(du -sm "$out" | cut -f1)
  warnings=$(grep -cE 'warning IL[0-9]+' "$work/$variant.log" || true)
  python3 - "$out/butterfly" "$runs" "$work" <<'PY' > "$work/$variant.times"
import json, os, socket, struct, subprocess, sys, time, tempfile
exe, runs, work = sys.argv[1], int(sys.argv[2]), sys.argv[3]
listening, replied = [], []
for i in range(runs):
    folder = tempfile.mkdtemp(dir=work)
    with open(os.path.join(folder, "butterfly.json"), "w") as f:
        json.dump({"listen": "127.0.0.1:0", "metrics": {"listen": "127.0.0.1:0"}, "web": {"listen": ""}, "dataDirectory": "data", "domains": ["example.org"]}, f)
    start = time.monotonic()
    p = subprocess.Popen([exe, "serve", "--config", os.path.join(folder, "butterfly.json")], cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for line in p.stdout:
        if line.startswith("butterfly: listening on "):
            listening.append((time.monotonic() - start) * 1000)
            host, port = line.strip().rsplit(" ", 1)[1].rsplit(":", 1)
            break
    s = socket.create_connection((host, int(port)))
    head = json.dumps({"cmd": "hello", "version": 1}).encode()
    s.sendall(struct.pack("<IQ", 8 + len(head), 1) + head)
    length = struct.unpack("<I", s.recv(4, socket.MSG_WAITALL))[0]
    s.recv(length, socket.MSG_WAITALL)
    replied.append((time.monotonic() - start) * 1000)
    s.close()
    p.terminate(); p.wait()
median = lambda xs: sorted(xs)[len(xs) // 2]
print(f"{median(listening):.0f} {median(replied):.0f}")
PY
  read -r listen reply < "$work/$variant.times"
  printf '%-15s %10s %8s %14s %14s\n' "$variant" "$size" "$warnings" "$listen" "$reply"
done
