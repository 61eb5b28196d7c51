// Butterfly frames over a WebSocket (protocol/framing.md, protocol/websocket.md): one binary
// WebSocket message holds exactly one whole frame, length prefix included.

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });
const FIXED = 16; // length (4) + tag (8) + head length (4): framing.md, "Layout"
// The server closes connections idle past limits.idleTimeoutSeconds (600 s by default).
const KEEPALIVE_MS = 60000;

/** A failed command: the server's code and message (protocol/errors.md). */
export class CommandError extends Error {
  constructor(code, message, head) {
    super(message || code);
    this.code = code;
    this.head = head || {};
  }
}

/** Encodes one frame. `tag` is a Number (safe integer) or BigInt; `body` bytes are optional. */
export function encodeFrame(tag, head, body) {
  const headBytes = encoder.encode(JSON.stringify(head));
  const bodyBytes = body ? toBytes(body) : new Uint8Array(0);
  const length = 12 + headBytes.length + bodyBytes.length;
  const buffer = new ArrayBuffer(4 + length);
  const view = new DataView(buffer);
  view.setUint32(0, length, true);
  view.setBigUint64(4, BigInt(tag), true);
  view.setUint32(12, headBytes.length, true);
  const bytes = new Uint8Array(buffer);
  bytes.set(headBytes, FIXED);
  bytes.set(bodyBytes, FIXED + headBytes.length);
  return buffer;
}

/** Decodes one whole frame; throws on anything that is not exactly one frame. */
export function decodeFrame(buffer) {
  if (buffer.byteLength < FIXED) throw new Error("frame shorter than its fixed part");
  const view = new DataView(buffer);
  const length = view.getUint32(0, true);
  if (length < 12 || length !== buffer.byteLength - 4) throw new Error("frame length does not match the message");
  const tag = view.getBigUint64(4, true);
  const headLength = view.getUint32(12, true);
  if (headLength > length - 12) throw new Error("head runs past the frame");
  const head = JSON.parse(decoder.decode(new Uint8Array(buffer, FIXED, headLength)));
  const body = new Uint8Array(buffer, FIXED + headLength);
  return { tag: tag <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(tag) : tag, head, body };
}

function toBytes(body) {
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (typeof body === "string") return encoder.encode(body);
  throw new TypeError("body must be bytes or a string");
}

/**
 * A tagged connection that reconnects by itself. Requests made while it is down wait until
 * `restore` (given by the session: log in again, resubscribe, catch up) has run on the new socket.
 */
export class Connection {
  constructor(url, { restore, onEvent, onStatus } = {}) {
    this._url = url;
    this._restore = restore || (async () => {});
    this._onEvent = onEvent || (() => {});
    this._onStatus = onStatus || (() => {});
    this._pending = new Map();
    this._nextTag = 1;
    this._socket = null;
    this._ready = null;
    this._readyResolve = null;
    this._readyReject = null;
    this._attempt = 0;
    this._closedByUs = false;
    this.hello = null;
    this.status = "closed";
    this._resetReady();
  }

  /**
   * Opens the socket (and reopens it after every loss until `close`). Resolves once ready; rejects
   * when `restore` is refused by the server (a wrong password, a revoked token).
   */
  start() {
    this._closedByUs = false;
    if (!this._socket) this._connect();
    return this._ready;
  }

  /** Closes for good (logout, or `error`: a refused re-login): pending requests fail, no reconnect. */
  close(error) {
    this._closedByUs = true;
    clearTimeout(this._timer);
    clearInterval(this._keepalive);
    if (this._socket) this._socket.close(1000);
    this._socket = null;
    this._failPending("connection.closed", "Closed.");
    this._readyReject(new CommandError("connection.closed", "Closed."));
    this._setStatus("closed", error);
  }

  /** Sends a request once the connection is ready; resolves with {head, body} or throws CommandError. */
  async request(head, body) {
    await this._ready;
    return this.send(head, body);
  }

  /** Sends a request now (used by `restore` before the connection counts as ready). */
  send(head, body) {
    const socket = this._socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) {
      return Promise.reject(new CommandError("connection.lost", "Not connected to the server."));
    }
    const tag = this._nextTag++;
    return new Promise((resolve, reject) => {
      this._pending.set(tag, { resolve, reject });
      socket.send(encodeFrame(tag, head, body));
    });
  }

  _resetReady() {
    this._ready = new Promise((resolve, reject) => {
      this._readyResolve = resolve;
      this._readyReject = reject;
    });
    this._ready.catch(() => {}); // a rejection nobody awaits is not an error
  }

  _setStatus(status, error) {
    this.status = status;
    this._onStatus(status, error);
  }

  _connect() {
    this._setStatus(this._attempt === 0 ? "connecting" : "reconnecting");
    const socket = new WebSocket(this._url);
    socket.binaryType = "arraybuffer";
    this._socket = socket;
    socket.onopen = () => this._opened(socket);
    socket.onmessage = (e) => this._received(socket, e.data);
    socket.onclose = () => this._lost(socket);
  }

  async _opened(socket) {
    try {
      this.hello = (await this.send({ cmd: "hello", version: 1, client: "butterfly-web/1" })).head;
      await this._restore(this, this._attempt > 0);
      if (socket !== this._socket) return;
      this._attempt = 0;
      this._wasReady = true;
      clearInterval(this._keepalive);
      this._keepalive = setInterval(() => this.send({ cmd: "ping" }).catch(() => {}), KEEPALIVE_MS);
      this._setStatus("open");
      this._readyResolve();
    } catch (e) {
      // A restore that fails for a reason other than the connection (a revoked token) is final.
      if (e instanceof CommandError && e.code !== "connection.lost" && e.code !== "server.busy") {
        this._readyReject(e);
        this.close(e);
      } else if (!this._wasReady) {
        this._closedByUs = true;
        this._readyReject(e);
        this.close();
      } else if (socket === this._socket) {
        socket.close();
      }
    }
  }

  _received(socket, data) {
    if (socket !== this._socket) return;
    let frame;
    try {
      if (typeof data === "string") throw new Error("text message");
      frame = decodeFrame(data);
    } catch {
      socket.close(1002); // framing.md, "Errors": a client that cannot frame closes
      return;
    }
    if (frame.tag === 0) {
      if (frame.head.ok === false) this._serverError = frame.head; // precedes the close
      else this._onEvent(frame.head);
      return;
    }
    const waiter = this._pending.get(frame.tag);
    if (!waiter) return;
    this._pending.delete(frame.tag);
    if (frame.head.ok) waiter.resolve({ head: frame.head, body: frame.body });
    else waiter.reject(new CommandError(frame.head.code, frame.head.message, frame.head));
  }

  _lost(socket) {
    if (socket !== this._socket) return;
    this._socket = null;
    clearInterval(this._keepalive);
    const err = this._serverError;
    this._serverError = null;
    this._failPending(err ? err.code : "connection.lost", err ? err.message : "The connection was lost.");
    if (this._closedByUs) return;
    if (!this._wasReady) {
      // Never got in: the caller (the login form) says so instead of retrying behind a spinner.
      this._readyReject(new CommandError(err ? err.code : "connection.lost", err ? err.message : "Could not reach the server."));
      this._setStatus("closed");
      return;
    }
    if (this.status === "open") this._resetReady();
    this._attempt++;
    this._setStatus("reconnecting");
    const delay = Math.min(15000, 300 * 2 ** Math.min(this._attempt, 6)) * (0.75 + Math.random() / 2);
    this._timer = setTimeout(() => this._connect(), delay);
  }

  _failPending(code, message) {
    const pending = [...this._pending.values()];
    this._pending.clear();
    for (const waiter of pending) waiter.reject(new CommandError(code, message));
  }
}
