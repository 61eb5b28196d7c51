// The script editor for programmable addresses the user owns (protocol/client.md,
// "Programmable addresses"): line numbers, errors at their line, dry run, deploy, live log.

import { h, fill, byId } from "../dom.js";
import { state, request } from "../store.js";
import { guard } from "../notify.js";
import { target } from "./actions.js";

const section = () => document.getElementById("scripts");
const TEMPLATE = "// Runs for each message sent to this address.\nexport function onMessage(message, ctx) {\n  ctx.log(`from ${message.from}`);\n}\n";
const POLL_MS = 2000;

let address = null;
let lastRun = null;
let poll = null;
let errorLine = null;
let edited = false;

function gutter() {
  const editor = byId("script-editor");
  const lines = editor.value.split("\n").length;
  const el = byId("script-gutter");
  const numbers = [];
  for (let i = 1; i <= lines; i++) {
    numbers.push(h("div", { class: i === errorLine ? "error" : null, dataset: i === errorLine ? { line: i } : null }, i));
  }
  fill(el, numbers);
  el.scrollTop = editor.scrollTop;
}

function showError(e) {
  errorLine = e && e.head && e.head.line ? e.head.line : null;
  const el = byId("script-error");
  if (errorLine) el.dataset.line = errorLine;
  else delete el.dataset.line;
  el.textContent = e ? (e.head && e.head.line ? `Line ${e.head.line}, column ${e.head.column}: ${e.message}` : `${e.message} (${e.code})`) : "";
  gutter();
  if (errorLine) goToLine(errorLine);
}

function goToLine(line) {
  const editor = byId("script-editor");
  const lines = editor.value.split("\n");
  const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
  editor.setSelectionRange(start, start + (lines[line - 1] || "").length);
}

async function load(addr) {
  address = addr;
  edited = false;
  lastRun = null;
  showError(null);
  byId("script-result").textContent = "";
  fill(byId("script-log"));
  let source = TEMPLATE;
  try {
    source = (await request({ cmd: "script.get", address })).head.source;
  } catch (e) {
    if (e.code !== "script.not-found") byId("script-result").textContent = `${e.message} (${e.code})`;
  }
  // What the user typed meanwhile wins over what arrives.
  if (address !== addr) return;
  if (!edited) byId("script-editor").value = source;
  document.getElementById("script-editing").hidden = false;
  gutter();
  await readLog();
}

async function deploy() {
  showError(null);
  const result = byId("script-result");
  result.textContent = "Deploying…";
  delete result.dataset.kind;
  try {
    const r = (await request({ cmd: "script.put", address }, byId("script-editor").value)).head;
    result.textContent = `Deployed version ${r.version}${r.schedule ? `; schedule ${r.schedule}` : ""}.`;
    result.dataset.kind = "ok";
    result.dataset.version = r.version;
  } catch (e) {
    result.textContent = "Not deployed.";
    result.dataset.kind = "error";
    showError(e);
  }
}

async function dryRun() {
  const out = byId("script-test-result");
  const raw = byId("script-test-message").value.replace(/\r?\n/g, "\r\n");
  if (!raw.trim()) { out.textContent = "Paste a message, or take the one open in the mail view."; return; }
  const req = { cmd: "script.test", address };
  const sender = byId("script-test-sender").value.trim();
  if (sender) req.sender = sender;
  out.textContent = "Running…";
  try {
    const r = (await request(req, raw)).head;
    out.textContent = JSON.stringify({ outcome: r.outcome, error: r.error, effects: r.effects, log: r.log, state: r.stateChanged ? r.state : "(unchanged)" }, null, 2);
  } catch (e) {
    out.textContent = `${e.message} (${e.code})`;
    if (e.head && e.head.line) showError(e);
  }
}

async function pick() {
  const t = target();
  if (!t) { byId("script-test-result").textContent = "Select a message in the mail view first."; return; }
  await guard(async () => {
    const reply = await request({ cmd: "message.fetch", folder: t.folder, id: t.id });
    byId("script-test-message").value = new TextDecoder().decode(reply.body);
  });
}

function logRow(run) {
  const lines = [`#${run.id} ${run.at} ${run.trigger} ${run.outcome}${run.committed ? "" : " (not committed)"}`];
  if (run.error) lines.push(`  error: ${run.error}`);
  for (const l of run.log || []) lines.push(`  log: ${l}`);
  return h("li", { testid: "script-log-row", dataset: { id: run.id } }, lines.join("\n"));
}

async function readLog() {
  if (!address) return;
  const req = { cmd: "script.logs", address };
  if (lastRun !== null) req.since = lastRun;
  let reply;
  try {
    reply = (await request(req)).head;
  } catch {
    return;
  }
  // Without `since` the latest runs come newest first; with it, oldest first.
  const runs = lastRun === null ? [...reply.runs].sort((a, b) => a.id - b.id) : reply.runs;
  lastRun = reply.last ?? lastRun ?? 0;
  const log = byId("script-log");
  for (const run of runs) log.prepend(logRow(run));
}

function stopPolling() {
  clearInterval(poll);
  poll = null;
}

/** Draws the scripts screen; `back` returns to mail. */
export async function openScripts(back) {
  stopPolling();
  const leave = () => { stopPolling(); back(); };
  fill(section(),
    h("div", { class: "screen-head" },
      h("button", { type: "button", testid: "scripts-back", onclick: leave }, "← Mail"),
      h("h2", { id: "scripts-title" }, "Scripts")),
    h("div", { class: "script-pick" },
      h("label", { for: "script-address" }, "Address"),
      h("select", { id: "script-address", testid: "script-address", onchange: (e) => load(e.target.value) })),
    h("p", { class: "empty", testid: "scripts-none", hidden: true }, "You own no programmable address. The operator allows one with `butterfly script allow`."),
    // Shown once the first script has arrived, so nothing typed is overwritten by it.
    h("div", { id: "script-editing", class: "stack", hidden: true },
    h("div", { class: "editor" },
      h("div", { class: "gutter", testid: "script-gutter", "aria-hidden": "true" }),
      h("textarea", { id: "script-editor", testid: "script-editor", spellcheck: false, wrap: "off", "aria-label": "Script source",
        oninput: () => { edited = true; errorLine = null; gutter(); }, onscroll: gutter })),
    h("p", { class: "error", role: "alert", testid: "script-error" }),
    h("div", { class: "buttons" },
      h("button", { type: "button", class: "primary", testid: "script-deploy", onclick: deploy }, "Deploy"),
      h("span", { role: "status", testid: "script-result" })),
    h("h3", {}, "Dry run"),
    h("label", { for: "script-test-sender" }, "Sender"),
    h("input", { id: "script-test-sender", testid: "script-test-sender", type: "email", autocomplete: "off" }),
    h("label", { for: "script-test-message" }, "Message (raw RFC 5322)"),
    h("textarea", { id: "script-test-message", testid: "script-test-message", rows: 6, spellcheck: false }),
    h("div", { class: "buttons" },
      h("button", { type: "button", testid: "script-test-pick", onclick: pick }, "Use the selected message"),
      h("button", { type: "button", testid: "script-test", onclick: dryRun }, "Dry run (stored script)")),
    h("pre", { class: "result", testid: "script-test-result", role: "status", tabindex: "0" }),
    h("h3", {}, "Log"),
    h("ol", { class: "log", testid: "script-log", "aria-live": "polite", "aria-label": "Script log", tabindex: "0" })));
  byId("scripts-back").focus();
  const reply = await guard(() => request({ cmd: "script.list" }));
  const scripts = reply ? reply.head.scripts : [];
  fill(byId("script-address"), scripts.map((s) => h("option", { value: s.address }, `${s.address}${s.version === null ? " (no script)" : ` (v${s.version})`}`)));
  byId("scripts-none").hidden = scripts.length > 0;
  if (!scripts.length) return;
  await load(scripts[0].address);
  poll = setInterval(() => {
    if (section().hidden || !state.conn) stopPolling();
    else readLog();
  }, POLL_MS);
}
