// Start-up: log in (or resume with the tab's token), then draw the mail screen.

import { state, update, on } from "./store.js";
import { connect, logout, savedToken, forgetToken } from "./session.js";
import { applyEvent, subscribe, loadFolders, loadList } from "./mail.js";
import { byId } from "./dom.js";
import { showError } from "./notify.js";
import { initShell, showScreen } from "./views/shell.js";
import { initFolders } from "./views/folders.js";
import { initList } from "./views/list.js";
import { initReader } from "./views/reader.js";
import { initActions } from "./views/actions.js";
import { initCompose } from "./views/compose.js";
import { initKeyboard } from "./keyboard.js";

const loginView = document.getElementById("login");
const appView = document.getElementById("app");

const hooks = {
  onEvent: applyEvent,
  onStatus: (status, error) => {
    document.body.dataset.conn = status;
    // A re-login refused after a reconnect (token expired or revoked, password changed elsewhere).
    if (status === "closed" && error && !appView.hidden) {
      forgetToken();
      resetState();
      showLogin(new Error(`Please log in again: ${error.message}`));
    }
    const el = byId("conn-status");
    el.textContent = { open: "", connecting: "Connecting…", reconnecting: "Reconnecting…", closed: "Offline" }[status] ?? status;
  },
  afterLogin: async (conn, again) => {
    await subscribe(conn, again);
  },
};

// Marks the first screen drawn (tests wait on it; `performance` marks time to interactive).
function ready() {
  if (document.body.dataset.ready === "1") return;
  document.body.dataset.ready = "1";
  performance.mark("butterfly-ready");
}

function showLogin(error) {
  appView.hidden = true;
  loginView.hidden = false;
  byId("login-error").textContent = error ? error.message : "";
  byId(state.user ? "login-password" : "login-user").focus();
  ready();
}

async function enterApp() {
  loginView.hidden = true;
  appView.hidden = false;
  showScreen("mail");
  await loadFolders();
  await loadList();
  ready();
  byId("message-list").focus();
}

async function start(user, password) {
  if (password === undefined) {
    // Resuming with the tab's token: show the mail screen at once, "Connecting…" in its header.
    loginView.hidden = true;
    appView.hidden = false;
  }
  try {
    await connect(user, password, hooks);
  } catch (e) {
    if (password === undefined && e.code === "auth.failed") forgetToken();
    showLogin(password === undefined && e.code === "auth.failed" ? null : e);
    return;
  }
  try {
    await enterApp();
  } catch (e) {
    showError(e);
  }
}

function initLogin() {
  byId("login-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const submit = byId("login-submit");
    submit.disabled = true;
    byId("login-error").textContent = "";
    await start(byId("login-user").value.trim(), byId("login-password").value);
    byId("login-password").value = "";
    submit.disabled = false;
  });
}

function resetState() {
  update({ conn: null, folders: [], rows: [], selected: null, open: null, eventState: 0, folder: "Inbox", mode: "messages", query: "" }, "folders", "list", "reader");
  for (const dialog of document.querySelectorAll("dialog[open]")) dialog.close();
}

async function doLogout() {
  await logout();
  resetState();
  showLogin(null);
}

initLogin();
initShell({ logout: doLogout });
initFolders();
initList();
initReader();
initActions();
initCompose();
initKeyboard();
on("user", () => { byId("user-name").textContent = state.user || ""; });

if (savedToken()) start();
else showLogin(null);
