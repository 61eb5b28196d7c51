#!/usr/bin/env python3
"""A spam-word scorer for Butterfly, in Python with the standard library only.

It does what the C# example src/Examples/Butterfly.Examples.SpamFilter does, with the same
options, and speaks the filter socket protocol (protocol/filter.md) directly, to show that a
filter needs nothing from .NET:

    python3 spam_filter.py --socket data/filter.sock --name spam [--words FILE] [--threshold 5]

Every message on the inbound stage gets an "X-Spam-Score: 7.5" header field; a message that
scores at least the threshold is also quarantined (filed into Junk). The score is the sum of
the weights of the listed words found in the subject and the text, counted once per
occurrence, words compared case-insensitively.

The words file holds one word and its weight per line ("casino 3.5"); "#" starts a comment.
Its words are added to the built-in list (a weight given there replaces the built-in one).
"""

import argparse
import email
import email.policy
import json
import os
import re
import signal
import socket
import struct
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

# Keep in step with SpamScorer.DefaultWords in the C# example: the two filters must agree.
DEFAULT_WORDS = {
    "viagra": 3.0,
    "casino": 2.5,
    "lottery": 2.5,
    "jackpot": 2.5,
    "winner": 2.0,
    "prize": 2.0,
    "bitcoin": 1.5,
    "million": 1.5,
    "cash": 1.5,
    "free": 1.0,
    "urgent": 1.0,
    "guaranteed": 1.0,
    "unsubscribe": 0.5,
}

FIXED = struct.Struct("<IQI")  # framing.md, "Layout": length, tag, head length
WORD = re.compile(r"[^\W_]+")  # runs of letters and digits, like char.IsLetterOrDigit in C#
TAG_RE = re.compile(r"<[^>]*>")
ACTIONS = ["accept", "quarantine", "headers"]


def load_words(path):
    words = dict(DEFAULT_WORDS)
    if path is None:
        return words
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            parts = line.split()
            if len(parts) != 2:
                raise ValueError(f"{path}:{number}: expected 'word weight'")
            words[parts[0].lower()] = float(parts[1])
    return words


def message_text(raw):
    """The subject and the readable text of a message (text/plain parts, else HTML without tags)."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    subject = str(message.get("Subject", "") or "")
    plain, html = [], []
    for part in message.walk():
        if part.is_multipart() or part.get_content_disposition() == "attachment":
            continue
        kind = part.get_content_type()
        if kind not in ("text/plain", "text/html"):
            continue
        try:
            text = part.get_content()
        except (LookupError, ValueError):
            payload = part.get_payload(decode=True) or b""
            text = payload.decode("utf-8", "replace")
        (plain if kind == "text/plain" else html).append(text)
    body = "\n".join(plain) if plain else TAG_RE.sub(" ", "\n".join(html))
    return subject + "\n" + body


def score(words, text):
    return sum(words.get(w, 0.0) for w in WORD.findall(text.lower()))


def format_score(value):
    # One decimal, the same text as the C# example ("7.5", "0.0").
    return f"{value:.1f}"


class Connection:
    """One registered connection: a reader thread, replies matched by tag, requests served by a pool."""

    def __init__(self, sock, handler, workers):
        self._sock = sock
        self._handler = handler
        self._write_lock = threading.Lock()
        self._pending = {}
        self._pending_lock = threading.Lock()
        self._next_tag = 0
        self._pool = ThreadPoolExecutor(max_workers=workers)
        self._closed = threading.Event()
        self._reader = threading.Thread(target=self._read_loop, daemon=True)
        self._reader.start()

    def send(self, tag, head, body=b""):
        head_bytes = json.dumps(head, separators=(",", ":")).encode("utf-8")
        frame = FIXED.pack(12 + len(head_bytes) + len(body), tag, len(head_bytes)) + head_bytes + body
        with self._write_lock:
            self._sock.sendall(frame)

    def request(self, head, timeout=30.0):
        """Sends one of our own requests (tags numbered from 1) and waits for its reply."""
        waiter = {"event": threading.Event(), "reply": None}
        with self._pending_lock:
            self._next_tag += 1
            tag = self._next_tag
            self._pending[tag] = waiter
        self.send(tag, head)
        if not waiter["event"].wait(timeout) or waiter["reply"] is None:
            raise ConnectionError(f"no reply to {head.get('cmd')}")
        return waiter["reply"]

    def wait_closed(self, timeout=None):
        return self._closed.wait(timeout)

    def close(self):
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._sock.close()
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _read_loop(self):
        buffer = bytearray()
        try:
            while True:
                chunk = self._sock.recv(65536)
                if not chunk:
                    break
                buffer += chunk
                # A read may hold part of a frame or several frames: take every whole one.
                while len(buffer) >= 4:
                    (length,) = struct.unpack_from("<I", buffer, 0)
                    if length < 12:
                        raise ConnectionError("malformed frame from the server")
                    if len(buffer) < 4 + length:
                        break
                    _, tag, head_length = FIXED.unpack_from(buffer, 0)
                    if head_length > length - 12:
                        raise ConnectionError("malformed frame from the server")
                    head = json.loads(bytes(buffer[16:16 + head_length]).decode("utf-8"))
                    body = bytes(buffer[16 + head_length:4 + length])
                    del buffer[:4 + length]
                    self._dispatch(tag, head, body)
        except (OSError, ValueError, ConnectionError) as error:
            if not self._closed.is_set():
                print(f"spam_filter: connection lost: {error}", file=sys.stderr)
        finally:
            self._closed.set()
            with self._pending_lock:
                for waiter in self._pending.values():
                    waiter["event"].set()
                self._pending.clear()

    def _dispatch(self, tag, head, body):
        if "cmd" in head:
            # The server's request: answer it by its tag, from the pool, so that several can be in flight.
            self._pool.submit(self._serve, tag, head, body)
        elif "ok" in head:
            with self._pending_lock:
                waiter = self._pending.pop(tag, None)
            if waiter is not None:
                waiter["reply"] = head
                waiter["event"].set()

    def _serve(self, tag, head, body):
        try:
            reply = self._handler(head, body)
        except Exception as error:  # a bad message must not take the filter down
            reply = {"ok": False, "code": "filter.failed", "message": str(error)}
        try:
            self.send(tag, reply)
        except OSError:
            pass


def pass_handler(head, body):
    """--pass: accepts without parsing, to measure what the socket round trip costs (as the C# --pass)."""
    if head.get("cmd") != "filter.message":
        return {"ok": False, "code": "request.unknown-command", "message": f"unknown command {head.get('cmd')}"}
    return {"ok": True, "verdict": "accept"}


def make_handler(words, threshold):
    def handle(head, body):
        if head.get("cmd") != "filter.message":
            return {"ok": False, "code": "request.unknown-command", "message": f"unknown command {head.get('cmd')}"}
        value = score(words, message_text(body))
        verdict = {
            "ok": True,
            "verdict": "quarantine" if value >= threshold else "accept",
            "headers": [{"op": "add", "name": "X-Spam-Score", "value": format_score(value)}],
        }
        if value >= threshold:
            verdict["folder"] = "Junk"
        return verdict

    return handle


def connect(args, handler):
    """Connects, says hello and registers; None while the server is not there yet."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(args.socket)
    except OSError:
        sock.close()
        return None
    connection = Connection(sock, handler, workers=args.max_in_flight)
    try:
        hello = connection.request({"cmd": "hello", "version": 1, "client": "spam_filter.py/1.0"})
        if not hello.get("ok"):
            raise ConnectionError(f"hello refused: {hello.get('code')} {hello.get('message')}")
        registered = connection.request({
            "cmd": "filter.register",
            "name": args.name,
            "stages": ["inbound"],
            "actions": ACTIONS,
            "claims": [],
            "maxInFlight": args.max_in_flight,
        })
    except (OSError, ConnectionError):
        connection.close()
        return None
    if not registered.get("ok"):
        connection.close()
        raise SystemExit(f"spam_filter: registration refused: {registered.get('code')}: {registered.get('message')}")
    return connection


def main():
    parser = argparse.ArgumentParser(description="Butterfly spam-word scorer (Python example filter).")
    parser.add_argument("--socket", required=True, help="the daemon's filter socket (filterSocket.path)")
    parser.add_argument("--name", default="spam", help="the filter's name in butterfly.json (default spam)")
    parser.add_argument("--words", help="a file of 'word weight' lines added to the built-in list")
    parser.add_argument("--threshold", type=float, default=5.0, help="quarantine at this score or above (default 5)")
    parser.add_argument("--max-in-flight", type=int, default=16, help="requests the server may have in flight (default 16, as the C# filter)")
    parser.add_argument("--pass", dest="pass_through", action="store_true",
                        help="accept every message untouched, without reading it (for benchmarks)")
    args = parser.parse_args()
    if args.max_in_flight < 1:
        parser.error("--max-in-flight needs a positive number")

    handler = pass_handler if args.pass_through else make_handler(load_words(args.words), args.threshold)
    stopping = threading.Event()
    current = {"connection": None}

    def stop(signum, frame):
        stopping.set()
        if current["connection"] is not None:
            current["connection"].close()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    announced = False
    while not stopping.is_set():
        connection = connect(args, handler)
        if connection is None:
            stopping.wait(0.5)  # the daemon is not up yet or is restarting: try again
            continue
        current["connection"] = connection
        if not announced:
            print(f"filter {args.name}: registered", flush=True)
            announced = True
        while not stopping.is_set() and not connection.wait_closed(0.5):
            pass
        connection.close()
        current["connection"] = None
    return 0


if __name__ == "__main__":
    sys.exit(main())
