// The reader: headers, plain text as text nodes, HTML in a sandboxed iframe (WEB-CONTRACT: the
// server sanitizes it and puts a CSP meta first; sandbox="" runs no script), "show images" per
// message, attachments downloaded through message.part, and the other messages of the thread.

import { h, fill, byId } from "../dom.js";
import { state, on, update, request } from "../store.js";
import { select } from "../mail.js";
import { guard, showError } from "../notify.js";
import { longDate, size, displayName } from "../format.js";
import { showPane } from "./shell.js";
import { openCompose } from "./compose.js";

const article = () => document.querySelector("#reader .message");
let loading = 0;

/** Opens a message in the reader (a draft opens in the composer), marking it read. */
export async function openMessage(ref, remoteImages = false) {
  const ticket = ++loading;
  let view;
  try {
    view = (await request({ cmd: "message.view", folder: ref.folder, id: ref.id, remoteImages })).head;
  } catch (e) {
    showError(e);
    return;
  }
  if (ticket !== loading) return;
  if (ref.folder === "Drafts") {
    openCompose({ draft: view });
    return;
  }
  update({ open: { folder: view.folder, id: view.id, flags: view.flags, view, remoteImages } }, "reader");
  showPane("reader");
  // Keyboard and screen-reader users land on the message; j/k keep working from there.
  byId("reader-subject").focus({ preventScroll: true });
  if (!view.flags.includes("seen")) {
    guard(() => request({ cmd: "message.flags", folder: view.folder, ids: [view.id], add: ["seen"] }));
  }
  loadThread(view, ticket);
}

async function loadThread(view, ticket) {
  let messages;
  try {
    messages = (await request({ cmd: "thread.get", folder: view.folder, id: view.id })).head.messages;
  } catch {
    return; // the thread is a convenience; the message itself is shown
  }
  if (ticket !== loading || messages.length < 2) return;
  const items = messages.map((m) => {
    const current = m.folder === view.folder && m.id === view.id;
    return h("li", {},
      h("button", {
        type: "button", class: "link", "aria-current": current ? "true" : null,
        onclick: () => { select(m); openMessage(m); },
      }, `${displayName(m.from)} — ${m.subject || "(no subject)"} (${m.folder})`));
  });
  article().append(h("nav", { class: "thread", testid: "reader-thread", "aria-label": "Conversation" },
    h("h3", {}, `Conversation (${messages.length})`), h("ol", {}, items)));
}

function addressLine(label, testid, list) {
  if (!list || !list.length) return null;
  return h("div", { class: "hdr" }, h("span", { class: "label" }, label), h("span", { testid }, list.join(", ")));
}

function body(open) {
  const { view } = open;
  if (view.html) {
    return [
      view.remoteImages > 0 && !open.remoteImages
        ? h("p", { class: "notice" }, `${view.remoteImages} remote image(s) blocked. `,
          h("button", { type: "button", testid: "reader-show-images", onclick: () => openMessage(open, true) }, "Show images"))
        : null,
      h("iframe", {
        sandbox: "", srcdoc: view.html, title: `Message: ${view.subject || "no subject"}`, class: "html", testid: "reader-html",
        dataset: { rendered: "false" }, onload: (e) => { e.target.dataset.rendered = "true"; },
      }),
    ];
  }
  return h("pre", { class: "text", testid: "reader-text" }, view.text || "");
}

async function download(open, part) {
  await guard(async () => {
    const reply = await request({ cmd: "message.part", folder: open.folder, id: open.id, part: part.part });
    const blob = new Blob([reply.body], { type: reply.head.type || "application/octet-stream" });
    const url = URL.createObjectURL(blob);
    const a = h("a", { href: url, download: reply.head.name || part.name || "attachment", class: "visually-hidden" });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  });
}

function attachments(open) {
  const parts = open.view.attachments || [];
  if (!parts.length) return null;
  return h("ul", { class: "attachments", testid: "reader-attachments", "aria-label": "Attachments" },
    parts.map((p) => h("li", { testid: "attachment", dataset: { part: p.part } },
      h("button", { type: "button", testid: "attachment-download", onclick: () => download(open, p) },
        `⤓ ${p.name || "attachment"}`),
      h("span", { class: "meta" }, ` ${p.type}, ${size(p.size)}`))));
}

function draw() {
  const open = state.open;
  const reader = byId("reader");
  reader.classList.toggle("empty", !open);
  drawFlags();
  if (!open) {
    fill(article(), h("p", { class: "placeholder" }, "No message selected."));
    return;
  }
  const { view } = open;
  fill(article(),
    h("h2", { class: "subject", testid: "reader-subject", tabindex: "-1" }, view.subject || "(no subject)"),
    h("div", { class: "headers" },
      addressLine("From", "reader-from", view.from),
      addressLine("To", "reader-to", view.to),
      addressLine("Cc", "reader-cc", view.cc),
      h("div", { class: "hdr" }, h("span", { class: "label" }, "Date"), h("span", { testid: "reader-date" }, longDate(view.date || view.received)))),
    attachments(open),
    body(open));
}

function drawFlags() {
  const flags = state.open ? state.open.flags : [];
  const flag = byId("action-flag");
  flag.setAttribute("aria-pressed", flags.includes("flagged") ? "true" : "false");
  flag.textContent = flags.includes("flagged") ? "Unflag" : "Flag";
  byId("action-read").textContent = flags.includes("seen") ? "Mark unread" : "Mark read";
  for (const b of byId("reader").querySelectorAll(".toolbar button:not([data-testid=reader-back])")) b.disabled = !state.open;
}

export function initReader() {
  on("reader", draw);
  on("reader-flags", drawFlags);
  byId("reader-back").addEventListener("click", () => { showPane("list"); byId("message-list").focus(); });
  draw();
}
