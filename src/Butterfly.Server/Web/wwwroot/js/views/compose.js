// The composer: new mail, reply, reply all, forward, and reopened drafts. Drafts are saved as
// the user types (draft.save, each replacing the last); sending removes the draft.

import { h, fill, byId, debounce } from "../dom.js";
import { state, request } from "../store.js";
import { guard, toast } from "../notify.js";
import { bareAddress, splitAddresses, longDate, size } from "../format.js";

const dialog = () => document.getElementById("compose");
let current = null; // {draftId, attachments: [{name, type, size, bytes}], inReplyTo, references, submission, saving}

const ADDRESS = /^[^\s<>@",;]+@[^\s<>@",;]+$/;
const isAddress = (entry) => ADDRESS.test(bareAddress(entry));

function field(testid, label, type = "text") {
  const id = `compose-${testid}`;
  return [h("label", { for: id }, label), h("input", { id, type, testid: `compose-${testid}`, autocomplete: "off", oninput: changed })];
}

function prefixed(prefix, subject) {
  const s = subject || "";
  return new RegExp(`^${prefix}:`, "i").test(s) ? s : `${prefix}: ${s}`;
}

function quote(view) {
  const lines = (view.text || "").replace(/\r\n/g, "\n").split("\n").map((l) => `> ${l}`);
  return `\n\nOn ${longDate(view.date || view.received)}, ${(view.from || []).join(", ")} wrote:\n${lines.join("\n")}\n`;
}

function forwarded(view) {
  return ["", "", "---------- Forwarded message ----------", `From: ${(view.from || []).join(", ")}`,
    `Date: ${longDate(view.date || view.received)}`, `Subject: ${view.subject || ""}`,
    `To: ${(view.to || []).join(", ")}`, "", view.text || ""].join("\n");
}

const sameAddress = (a, b) => bareAddress(a).toLowerCase() === bareAddress(b).toLowerCase();

function unique(list) {
  return list.filter((a, i) => list.findIndex((b) => sameAddress(a, b)) === i);
}

function own(address) {
  return bareAddress(address).toLowerCase() === (state.user || "").toLowerCase();
}

// The fields a new composer starts with, from what it was opened for.
function initial(opts) {
  if (opts.draft) {
    const v = opts.draft;
    return { to: v.to, cc: v.cc, bcc: v.bcc || [], subject: v.subject, text: v.text, draftId: v.id,
      inReplyTo: v.inReplyTo, references: v.references, partsOf: v };
  }
  const v = opts.reply || opts.all || opts.forward;
  if (!v) return { to: opts.to || [], cc: [], bcc: [], subject: "", text: "" };
  const thread = { inReplyTo: v.messageId, references: [...(v.references || []), ...(v.messageId ? [v.messageId] : [])] };
  if (opts.forward) return { to: [], cc: [], bcc: [], subject: prefixed("Fwd", v.subject), text: forwarded(v), partsOf: v };
  // Answering one's own message (from Sent) goes to its recipients again.
  const mine = v.from.length > 0 && v.from.every(own);
  const author = v.replyTo && v.replyTo.length ? v.replyTo : mine ? v.to : v.from;
  const to = unique(opts.all ? [...author, ...v.to.filter((a) => !own(a))] : author);
  const cc = opts.all ? unique(v.cc.filter((a) => !own(a))).filter((a) => !to.some((t) => sameAddress(t, a))) : [];
  return { to, cc, bcc: [], subject: prefixed("Re", v.subject), text: quote(v), ...thread };
}

function submissionId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Opens the composer: {} new, {to}, {reply|all|forward: view}, or {draft: view}. */
export async function openCompose(opts) {
  const d = dialog();
  if (d.open) await close(true);
  const start = initial(opts);
  current = { draftId: start.draftId ?? null, attachments: [], inReplyTo: start.inReplyTo ?? null,
    references: start.references || [], submission: submissionId(), saving: Promise.resolve(), dirty: false };
  draw(start);
  d.showModal();
  byId(start.to.length ? "compose-body" : "compose-to").focus();
  if (opts.reply || opts.all) byId("compose-body").setSelectionRange(0, 0);
  if (start.partsOf && (start.partsOf.attachments || []).length) await loadParts(start.partsOf);
}

// Forwarded mail and reopened drafts bring their attachments along.
async function loadParts(view) {
  const mine = current;
  for (const part of view.attachments) {
    const reply = await guard(() => request({ cmd: "message.part", folder: view.folder, id: view.id, part: part.part }));
    if (!reply || mine !== current) return;
    current.attachments.push({ name: reply.head.name || part.name || "attachment", type: reply.head.type || part.type, bytes: new Uint8Array(reply.body) });
  }
  drawAttachments();
}

function draw(start) {
  const d = dialog();
  fill(d, h("form", { class: "compose-form", method: "dialog", onsubmit: (e) => { e.preventDefault(); send(); } },
    h("header", { class: "compose-head" },
      h("h2", { id: "compose-title" }, start.draftId ? "Draft" : start.inReplyTo ? "Reply" : "New message"),
      h("span", { class: "status", testid: "compose-status", role: "status" }, "")),
    h("div", { class: "fields" },
      field("to", "To"), field("cc", "Cc"), field("bcc", "Bcc"), field("subject", "Subject")),
    h("label", { for: "compose-body", class: "visually-hidden" }, "Message"),
    h("textarea", { id: "compose-body", testid: "compose-body", rows: 14, oninput: changed }),
    h("div", { class: "files" },
      h("label", { for: "compose-files" }, "Attach files"),
      h("input", { id: "compose-files", type: "file", multiple: true, testid: "compose-files", onchange: addFiles }),
      h("ul", { class: "attachments", "aria-label": "Attachments" })),
    h("p", { class: "error", role: "alert", testid: "compose-error" }),
    h("div", { class: "buttons" },
      h("button", { type: "button", class: "danger", testid: "compose-discard", onclick: discard }, "Discard"),
      h("button", { type: "button", testid: "compose-close", onclick: () => close(true) }, "Save and close"),
      h("button", { type: "submit", class: "primary", testid: "compose-send" }, "Send"))));
  byId("compose-to").value = start.to.join(", ");
  byId("compose-cc").value = start.cc.join(", ");
  byId("compose-bcc").value = start.bcc.join(", ");
  byId("compose-subject").value = start.subject || "";
  byId("compose-body").value = start.text || "";
  drawAttachments();
}

function drawAttachments() {
  const list = dialog().querySelector("ul.attachments");
  fill(list, current.attachments.map((a, i) => h("li", { testid: "compose-attachment", dataset: { name: a.name } },
    `${a.name} (${size(a.bytes.length)}) `,
    h("button", { type: "button", testid: "compose-attachment-remove", "aria-label": `Remove ${a.name}`,
      onclick: () => { current.attachments.splice(i, 1); drawAttachments(); changed(); } }, "✕"))));
}

async function addFiles(e) {
  for (const file of e.target.files) {
    current.attachments.push({ name: file.name, type: file.type || "application/octet-stream", bytes: new Uint8Array(await file.arrayBuffer()) });
  }
  e.target.value = "";
  drawAttachments();
  changed();
}

// The request fields and body shared by send and draft.save (WEB-CONTRACT, "send with attachments").
function message(onlyValid) {
  const list = (id) => splitAddresses(byId(id).value).filter((a) => !onlyValid || isAddress(a));
  const head = {
    to: list("compose-to"), cc: list("compose-cc"), bcc: list("compose-bcc"),
    subject: byId("compose-subject").value, text: byId("compose-body").value,
  };
  if (current.inReplyTo) head.inReplyTo = current.inReplyTo;
  if (current.references.length) head.references = current.references;
  let body;
  if (current.attachments.length) {
    head.attachments = current.attachments.map((a) => ({ name: a.name, type: a.type, size: a.bytes.length }));
    body = new Uint8Array(current.attachments.reduce((n, a) => n + a.bytes.length, 0));
    let at = 0;
    for (const a of current.attachments) { body.set(a.bytes, at); at += a.bytes.length; }
  }
  return { head, body };
}

function status(text) {
  const el = byId("compose-status");
  if (el) el.textContent = text;
}

// Saves run one after another, each replacing the draft the last one stored.
function saveDraft() {
  const mine = current;
  if (!mine || !mine.dirty) return mine ? mine.saving : Promise.resolve();
  mine.dirty = false;
  const { head, body } = message(true);
  mine.saving = mine.saving.then(async () => {
    status("Saving…");
    try {
      const req = { cmd: "draft.save", ...head };
      if (mine.draftId !== null) req.replaces = mine.draftId;
      const reply = (await request(req, body)).head;
      mine.draftId = reply.id;
      if (mine === current) {
        status("Draft saved");
        byId("compose-status").dataset.savedId = reply.id;
      }
    } catch (e) {
      if (mine === current) status(`Draft not saved: ${e.message}`);
    }
  });
  return mine.saving;
}

const saveSoon = debounce(saveDraft, 1200);

function changed() {
  if (!current) return;
  current.dirty = true;
  status("");
  saveSoon();
}

async function send() {
  const error = byId("compose-error");
  error.textContent = "";
  const { head, body } = message(false);
  const limit = state.conn.hello && state.conn.hello.limits && state.conn.hello.limits.maxMessageBytes;
  if (body && limit && body.length > limit) {
    error.textContent = `The attachments are larger than the server takes (${size(limit)}).`;
    return;
  }
  const button = byId("compose-send");
  button.disabled = true;
  saveSoon.cancel();
  current.dirty = false;
  await current.saving;
  try {
    const req = { cmd: "send", ...head, submission: current.submission };
    if (current.draftId !== null) req.draft = current.draftId;
    const reply = (await request(req, body)).head;
    current = null;
    dialog().close();
    const queued = reply.recipients.filter((r) => r.status !== "delivered").length;
    toast(queued ? `Sent (${queued} recipient(s) queued for delivery).` : "Sent.");
  } catch (e) {
    error.textContent = e.code ? `${e.message} (${e.code})` : String(e.message || e);
    button.disabled = false;
  }
}

async function close(keep) {
  const mine = current;
  if (!mine) { dialog().close(); return; }
  saveSoon.cancel();
  if (keep) await saveDraft();
  current = null;
  dialog().close();
  if (keep && mine.draftId !== null) toast("Draft saved in Drafts.");
}

async function discard() {
  const mine = current;
  saveSoon.cancel();
  mine.dirty = false;
  current = null;
  dialog().close();
  await mine.saving;
  if (mine.draftId === null) return;
  // Deleting from Drafts goes through Trash; deleting there removes it for good.
  await guard(async () => {
    const { head } = await request({ cmd: "message.delete", folder: "Drafts", ids: [mine.draftId] });
    const trashed = Object.values(head.trashed);
    if (trashed.length) await request({ cmd: "message.delete", folder: "Trash", ids: trashed });
  });
  toast("Draft discarded.");
}

export function initCompose() {
  // Leaving the page: send the last keystrokes' draft off (best effort; the socket may close first).
  window.addEventListener("pagehide", () => { if (current && current.dirty) saveDraft(); });
  // Escape closes the composer keeping the draft.
  dialog().addEventListener("cancel", (e) => { e.preventDefault(); close(true); });
}
