#!/usr/bin/env python3
# CPU ticks (utime + stime + cutime + cstime, from /proc/PID/stat) of each PID and all its
# descendants, for the bench scripts (peers.sh, postgres.sh):
#   tree-ticks.py PID...                      prints the ticks now
#   tree-ticks.py --when TEXT FILE PID...     reads stdin to its end, and writes the ticks to FILE at
#                                             the first line holding TEXT
# A child that exits is counted through its parent's cutime/cstime once reaped.
import os, sys
def ticks(roots):
    parent, own = {}, {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            stat = open(f"/proc/{name}/stat").read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()   # after "pid (comm) "
        parent[int(name)] = int(fields[1])
        own[int(name)] = sum(int(f) for f in fields[11:15])
    total = 0
    for pid in own:
        p = pid
        while p > 1 and p not in roots:
            p = parent.get(p, 0)
        if p in roots:
            total += own[pid]
    return total
if sys.argv[1] == "--when":
    text, out, roots, done = sys.argv[2], sys.argv[3], {int(a) for a in sys.argv[4:]}, False
    for line in sys.stdin:
        if not done and text in line:
            value = ticks(roots)
            with open(out + ".tmp", "w") as f:
                f.write(f"{value}\n")
            os.rename(out + ".tmp", out)
            done = True
else:
    print(ticks({int(a) for a in sys.argv[1:]}))
