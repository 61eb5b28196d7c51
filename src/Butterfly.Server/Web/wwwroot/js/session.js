// Logging in and staying logged in. The password is sent once, on the login form; the app then
// asks the server for a short-lived token (`auth.token`, protocol/websocket.md) and keeps only that token, in
// sessionStorage, so a reload of this tab logs in again without the password.

import { Connection, CommandError } from "./protocol.js";
import { state, update } from "./store.js";

const TOKEN_KEY = "butterfly.token";
const USER_KEY = "butterfly.user";

/** The WebSocket address of this page's server. */
function socketUrl() {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/ws`;
}

/** A stored token from an earlier load of this tab, or null. */
export function savedToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

/**
 * Connects and logs in, with a password (`password` given) or the saved token. `hooks.onEvent`
 * gets push events, `hooks.onStatus` the connection status, `hooks.afterLogin(conn, again)` runs on
 * every (re)login before requests flow (subscribe, catch up).
 */
export async function connect(user, password, hooks) {
  let first = true;
  const restore = async (conn, again) => {
    if (first && password !== undefined) {
      const login = (await conn.send({ cmd: "login", user, password })).head;
      user = login.user || user;
      update({ user }, "user");
      sessionStorage.setItem(USER_KEY, user);
      try {
        const token = (await conn.send({ cmd: "auth.token" })).head;
        sessionStorage.setItem(TOKEN_KEY, token.token);
      } catch (e) {
        // A server without tokens: the session works, but a reload or reconnect asks to log in again.
        if (e.code === "connection.lost") throw e;
        sessionStorage.removeItem(TOKEN_KEY);
      }
    } else {
      const token = savedToken();
      if (!token) throw new CommandError("auth.failed", "Please log in.");
      await conn.send({ cmd: "login", user: sessionStorage.getItem(USER_KEY), token });
    }
    first = false;
    await hooks.afterLogin(conn, again);
  };
  const conn = new Connection(socketUrl(), { restore, onEvent: hooks.onEvent, onStatus: hooks.onStatus });
  update({ conn, user: user || sessionStorage.getItem(USER_KEY) }, "user");
  await conn.start();
  return conn;
}

/** Revokes the token, logs out and forgets the token. */
export async function logout() {
  const conn = state.conn;
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(USER_KEY);
  if (!conn) return;
  try {
    if (conn.status === "open") {
      // logout revokes this session's token too (WEB-CONTRACT, "Token login").
      await conn.send({ cmd: "logout" }).catch(() => {});
    }
  } finally {
    conn.close();
    update({ conn: null, user: null }, "user");
  }
}

/** Forgets a token the server refused. */
export function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(USER_KEY);
}

/** Asks for a fresh token (after a password change revoked them all) and keeps it. */
export async function renewToken() {
  try {
    const { head } = await state.conn.request({ cmd: "auth.token" });
    sessionStorage.setItem(TOKEN_KEY, head.token);
  } catch {
    sessionStorage.removeItem(TOKEN_KEY); // a reload will ask for the password
  }
}

/** Revokes every token of the account ("log out everywhere" else); this tab gets a new one. */
export async function revokeAll() {
  const { head } = await state.conn.request({ cmd: "auth.revoke", all: true });
  await renewToken();
  return head.revoked;
}
