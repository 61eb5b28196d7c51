// The folder tree with unread counts; New folder; Empty Trash.

import { h, reconcile, byId } from "../dom.js";
import { state, on, request } from "../store.js";
import { openFolder, loadFolders } from "../mail.js";
import { guard, toast } from "../notify.js";
import { showPane, ask } from "./shell.js";

const ORDER = ["Inbox", "Drafts", "Sent", "Archive", "Junk", "Trash"];

function rank(name) {
  const top = name.split("/")[0];
  const at = ORDER.indexOf(top);
  return at < 0 ? ORDER.length : at;
}

function sorted(folders) {
  return [...folders].sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
}

// Unread counts mean nothing for mail the user wrote.
const UNCOUNTED = new Set(["Drafts", "Sent"]);

function item(folder) {
  const unseen = UNCOUNTED.has(folder.name) ? 0 : folder.unseen;
  const depth = folder.name.split("/").length - 1;
  const label = folder.name.split("/").pop();
  const current = folder.name === state.folder && state.mode !== "search";
  // The accessible name is the visible text plus hidden words: "Work/Projects, 3 unread".
  const parent = folder.name.slice(0, folder.name.length - label.length);
  const button = h("button", {
    type: "button", class: `folder depth-${Math.min(depth, 5)}`, testid: "folder-item",
    dataset: { folder: folder.name }, "aria-current": current ? "page" : null,
    onclick: () => {
      showPane("list");
      byId("search-input").value = "";
      byId("search-clear").hidden = true;
      openFolder(folder.name);
    },
  },
  h("span", { class: "name" }, parent ? h("span", { class: "visually-hidden" }, parent) : null, label),
  unseen ? h("span", { class: "count" }, h("span", { class: "visually-hidden" }, ", "),
    h("span", { testid: "folder-unread" }, unseen), h("span", { class: "visually-hidden" }, " unread")) : null);
  return h("li", {}, button);
}

function draw() {
  reconcile(byId("folder-tree"), sorted(state.folders), (f) => f.name, item);
  const inbox = state.folders.find((f) => f.name === "Inbox");
  document.title = inbox && inbox.unseen ? `(${inbox.unseen}) Butterfly` : "Butterfly";
  byId("empty-trash").hidden = !(state.folder === "Trash" && state.mode !== "search");
  document.getElementById("list-title").textContent = state.mode === "search" ? `Search: ${state.query}` : state.folder;
}

async function createFolder() {
  const dialog = byId("folder-dialog");
  const input = byId("folder-name");
  input.value = "";
  dialog.returnValue = "";
  dialog.showModal();
  dialog.addEventListener("close", async () => {
    if (dialog.returnValue !== "ok" || !input.value.trim()) return;
    await guard(async () => {
      const { head } = await request({ cmd: "folder.create", folder: input.value });
      await loadFolders();
      toast(`Folder ${head.folder} created.`);
    });
  }, { once: true });
}

async function emptyTrash() {
  if (!(await ask("Delete every message in Trash for good?", "Empty Trash"))) return;
  await guard(async () => {
    const { head } = await request({ cmd: "folder.empty", folder: "Trash" });
    toast(`${head.expunged} messages deleted.`);
  });
}

export function initFolders() {
  on("folders", draw);
  on("list", draw);
  byId("folder-create").addEventListener("click", createFolder);
  byId("empty-trash").addEventListener("click", emptyTrash);
}
