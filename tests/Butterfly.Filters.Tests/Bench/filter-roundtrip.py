#!/usr/bin/env python3
"""The filter client library's own cost per message, without a mail server: plays the server's side
of the filter socket (protocol/filter.md: hello, filter.register, then filter.message requests) for
one filter daemon, keeps WINDOW requests in flight, and prints the filter daemon's CPU time (utime +
stime from /proc/PID/stat) and wall time per answered request.

usage: filter-roundtrip.py FILTER_DLL [COUNT] [WINDOW] [SIZE] [-- FILTER ARGS...]
  FILTER_DLL  e.g. src/Examples/Butterfly.Examples.SpamFilter/bin/Release/net10.0/Butterfly.Examples.SpamFilter.dll
  COUNT       requests after a warm-up of COUNT/4 (default 20000)
  WINDOW      requests in flight (default 16: the library's default maxInFlight)
  SIZE        message bytes (default 10240)
  FILTER ARGS default: --pass
The filter is started with --socket and --name set, and stopped by its PID. Not a test (STYLE.md,
habit 16): run by hand, e.g. under `perf record -p` for a profile.
"""
import json, os, socket, struct, subprocess, sys, tempfile, time

args = sys.argv[1:]
extra = ["--pass"]
if "--" in args:
    i = args.index("--"); extra = args[i + 1:]; args = args[:i]
dll = args[0]
count = int(args[1]) if len(args) > 1 else 20000
window = int(args[2]) if len(args) > 2 else 16
size = int(args[3]) if len(args) > 3 else 10240

work = tempfile.mkdtemp(prefix="bf-filter-roundtrip.")
path = os.path.join(work, "filter.sock")
listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
listener.bind(path); listener.listen(1)
proc = subprocess.Popen(["dotnet", dll, "--socket", path, "--name", "pass1", *extra], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    conn, _ = listener.accept()
    buf = bytearray()

    def frame(tag, head, body=b""):
        h = json.dumps(head, separators=(",", ":")).encode()
        return struct.pack("<IQI", 8 + 4 + len(h) + len(body), tag, len(h)) + h + body

    def read_frames():
        data = conn.recv(1 << 20)
        if not data:
            raise SystemExit("the filter closed the connection")
        buf.extend(data)
        out = []
        while len(buf) >= 4:
            (n,) = struct.unpack_from("<I", buf, 0)
            if len(buf) < 4 + n:
                break
            tag, hl = struct.unpack_from("<QI", buf, 4)
            out.append((tag, json.loads(bytes(buf[16:16 + hl]))))
            del buf[:4 + n]
        return out

    # hello and filter.register: the filter's requests, answered ok.
    registered = False
    while not registered:
        for tag, head in read_frames():
            if head.get("cmd") == "hello":
                conn.sendall(frame(tag, {"ok": True, "server": "roundtrip", "version": 1}))
            elif head.get("cmd") == "filter.register":
                conn.sendall(frame(tag, {"ok": True, "name": "pass1", "stages": ["inbound"], "claims": [], "timeoutSeconds": 5, "onFailure": "tempfail"}))
                registered = True

    line = b"lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor\r\n"
    body = b"From: a@localhost\r\nTo: b@localhost\r\nSubject: bench\r\nMessage-ID: <x@localhost>\r\n\r\n"
    while len(body) < size:
        body += line
    head = {"cmd": "filter.message", "id": "0123456789abcdef", "stage": "inbound",
            "envelope": {"sender": "a@localhost", "recipients": ["b@localhost"], "origin": "local", "account": "a@localhost", "hops": 0},
            "summary": {"from": "a@localhost", "to": ["b@localhost"], "subject": "bench", "messageId": "<x@localhost>", "size": len(body)}}
    request = frame(0, head, body)

    def run(n):
        sent = answered = 0
        next_tag = 1
        while answered < n:
            batch = bytearray()
            while sent < n and sent - answered < window:
                batch += request[:4] + struct.pack("<Q", next_tag) + request[12:]
                next_tag += 1; sent += 1
            if batch:
                conn.sendall(batch)
            for tag, reply in read_frames():
                if not reply.get("ok"):
                    raise SystemExit(f"the filter answered {reply}")
                answered += 1

    def cpu():
        with open(f"/proc/{proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    run(max(1, count // 4))
    c0, t0 = cpu(), time.monotonic()
    run(count)
    c1, t1 = cpu(), time.monotonic()
    print(f"{count} requests of {len(body)} bytes, {window} in flight: filter CPU {(c1 - c0) * 1e6 / count:.1f} us per request, "
          f"wall {(t1 - t0) * 1e6 / count:.1f} us per request ({count / (t1 - t0):,.0f}/s)")
finally:
    proc.terminate(); proc.wait()
    listener.close()
    try:
        os.unlink(path); os.rmdir(work)
    except OSError:
        pass
