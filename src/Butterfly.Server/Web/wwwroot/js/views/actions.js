// What can be done to the open message: reply, reply all, forward, archive, move, copy, flag,
// mark read/unread, delete. Each acts on the open message, else on the highlighted row.

import { h, fill, byId } from "../dom.js";
import { state, update, request } from "../store.js";
import { selectedIndex, selectAfterRemoval } from "../mail.js";
import { guard, toast } from "../notify.js";
import { openCompose } from "./compose.js";
import { openMessage } from "./reader.js";
import { showPane } from "./shell.js";

/** The message actions act on: the open one, else the highlighted row. */
export function target() {
  if (state.open) return { folder: state.open.folder, id: state.open.id, flags: state.open.flags };
  const at = selectedIndex();
  return at < 0 ? null : state.rows[at];
}

// After the message leaves its folder, open the next one in the list (as mail readers do).
async function leave(t, work) {
  const at = selectedIndex();
  const wasOpen = !!state.open;
  await guard(async () => {
    await work();
    const still = state.rows.findIndex((r) => r.folder === t.folder && r.id === t.id);
    if (still >= 0) state.rows.splice(still, 1);
    update({ open: null }, "list", "reader");
    const next = selectAfterRemoval(at < 0 ? 0 : at);
    if (next && wasOpen) openMessage(next);
    else showPane("list");
  });
}

async function moveTo(folder) {
  const t = target();
  if (!t || t.folder === folder) return;
  await leave(t, () => request({ cmd: "message.move", folder: t.folder, ids: [t.id], to: folder }));
  toast(`Moved to ${folder}.`);
}

/** Archives (moves to Archive, creating it when missing). */
export async function archive() {
  if (!target()) return;
  if (!state.folders.some((f) => f.name === "Archive")) {
    const made = await guard(() => request({ cmd: "folder.create", folder: "Archive" }));
    if (!made) return;
  }
  await moveTo("Archive");
}

/** Moves to Trash (or deletes for good in Trash). */
export async function remove() {
  const t = target();
  if (!t) return;
  await leave(t, () => request({ cmd: "message.delete", folder: t.folder, ids: [t.id] }));
  toast(t.folder === "Trash" ? "Deleted for good." : "Moved to Trash.");
}

function chooseFolder(verb) {
  const dialog = byId("move-dialog");
  const t = target();
  if (!t) return Promise.resolve(null);
  document.getElementById("move-title").textContent = `${verb} to`;
  byId("move-ok").textContent = verb;
  fill(byId("move-target"), state.folders.filter((f) => f.name !== t.folder || verb === "Copy")
    .map((f) => h("option", { value: f.name }, f.name)));
  dialog.returnValue = "";
  dialog.showModal();
  return new Promise((resolve) => dialog.addEventListener("close",
    () => resolve(dialog.returnValue === "ok" ? byId("move-target").value : null), { once: true }));
}

/** Asks for a folder and moves there. */
export async function move() {
  const folder = await chooseFolder("Move");
  if (folder) await moveTo(folder);
}

async function copy() {
  const t = target();
  const folder = await chooseFolder("Copy");
  if (!folder) return;
  await guard(async () => {
    await request({ cmd: "message.copy", folder: t.folder, ids: [t.id], to: folder });
    toast(`Copied to ${folder}.`);
  });
}

async function toggle(flag) {
  const t = target();
  if (!t) return;
  const has = (t.flags || []).includes(flag);
  await guard(async () => {
    const { head } = await request({ cmd: "message.flags", folder: t.folder, ids: [t.id], [has ? "remove" : "add"]: [flag] });
    const flags = head.messages[0].flags;
    if (state.open && state.open.id === t.id && state.open.folder === t.folder) update({ open: { ...state.open, flags } }, "reader-flags");
  });
}

/** Opens the composer as a reply ("reply", "all") or a forward ("forward"). */
export function respond(kind) {
  if (!state.open) return;
  openCompose({ [kind]: state.open.view, from: state.open });
}

export function initActions() {
  const bind = (id, fn) => byId(id).addEventListener("click", fn);
  bind("action-reply", () => respond("reply"));
  bind("action-reply-all", () => respond("all"));
  bind("action-forward", () => respond("forward"));
  bind("action-archive", archive);
  bind("action-move", move);
  bind("action-copy", copy);
  bind("action-flag", () => toggle("flagged"));
  bind("action-read", () => toggle("seen"));
  bind("action-delete", remove);
}
