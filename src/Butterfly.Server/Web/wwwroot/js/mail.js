// Mail data: folders, the message list (messages, threads or search results), selection and the
// open message, kept current by push events and by `changes` after a reconnect.

import { state, update, emit, request, keyOf } from "./store.js";
import { debounce } from "./dom.js";
import { guard, toast } from "./notify.js";

const PAGE = 50;

/** Lists the folders again. */
export async function loadFolders() {
  const { head } = await request({ cmd: "folder.list" });
  update({ folders: head.folders }, "folders");
}

const refreshFolders = debounce(() => guard(loadFolders), 150);
const refreshList = debounce(() => guard(() => loadList()), 150);

/** Shows a folder (leaves search). */
export function openFolder(folder) {
  update({ folder, query: "", mode: state.mode === "search" ? "messages" : state.mode, selected: null }, "folders");
  return guard(() => loadList());
}

/** Switches between single messages and threads. */
export function setThreads(on) {
  update({ mode: on ? "threads" : "messages", query: "" });
  return guard(() => loadList());
}

/** Runs a search in the server's query language (protocol/client.md, "message.search"). */
export function search(query) {
  if (!query.trim()) return openFolder(state.folder);
  update({ mode: "search", query, selected: null });
  return guard(() => loadList());
}

/** Loads the first page (`more` false) or the next page of the current list. */
export async function loadList(more = false) {
  const { mode, folder, query } = state;
  busy(true);
  const cursor = more ? state.next : undefined;
  let head;
  try {
    if (mode === "search") {
      head = (await request({ cmd: "message.search", query, limit: PAGE, offset: cursor || 0 })).head;
    } else if (mode === "threads") {
      head = (await request({ cmd: "thread.list", folder, limit: PAGE, offset: cursor || 0 })).head;
    } else {
      const req = { cmd: "message.list", folder, limit: PAGE };
      if (cursor) req.before = cursor;
      head = (await request(req)).head;
    }
  } catch (e) {
    busy(false);
    throw e;
  }
  // The user may have moved on while this page was on its way.
  if (state.mode !== mode || state.folder !== folder || state.query !== query) return;
  const page = mode === "threads" ? head.threads.map(threadRow) : head.messages;
  const rows = more ? state.rows.concat(page) : page;
  const selected = state.selected && rows.some((r) => same(r, state.selected)) ? state.selected : null;
  update({ rows, next: head.next ?? null, selected }, "list");
  busy(false);
}

// `aria-busy` and `data-state` on the list tell assistive technology (and tests) a page is on its way.
function busy(on) {
  const list = document.querySelector('[data-testid="message-list"]');
  list.setAttribute("aria-busy", on ? "true" : "false");
  list.dataset.state = on ? "loading" : "ready";
}

function threadRow(thread) {
  return { ...thread.latest, thread: thread.thread, count: thread.messages, threadUnseen: thread.unseen };
}

const same = (row, ref) => row.folder === ref.folder && row.id === ref.id;

/** The index of the selected row, or -1. */
export function selectedIndex() {
  return state.selected ? state.rows.findIndex((r) => same(r, state.selected)) : -1;
}

/** Highlights a row. */
export function select(row) {
  update({ selected: row ? { folder: row.folder, id: row.id } : null }, "selection");
}

/** Moves the highlight by `delta` rows (j/k). */
export function step(delta) {
  if (!state.rows.length) return null;
  const at = selectedIndex();
  const index = Math.max(0, Math.min(state.rows.length - 1, at < 0 ? 0 : at + delta));
  select(state.rows[index]);
  return state.rows[index];
}

/** After the open message leaves the list: highlight the row that took its place. */
export function selectAfterRemoval(index) {
  const row = state.rows[Math.min(index, state.rows.length - 1)];
  select(row || null);
  return row || null;
}

// ---- live updates (protocol/client.md, "Event frames") ----

function upsert(summary) {
  if (state.mode === "threads") return refreshList();
  if (state.mode === "search") return undefined; // results are a snapshot of the query
  if (summary.folder !== state.folder) return undefined;
  const at = state.rows.findIndex((r) => same(r, summary));
  if (at >= 0) state.rows[at] = { ...state.rows[at], ...summary };
  else {
    // Newest first: insert before the first row with a smaller id.
    let i = state.rows.findIndex((r) => r.id < summary.id);
    if (i < 0) {
      if (state.next !== null) return undefined; // older than the loaded pages
      i = state.rows.length;
    }
    state.rows.splice(i, 0, summary);
  }
  return emit("list");
}

function remove(folder, id) {
  if (state.mode === "threads") refreshList();
  const at = state.rows.findIndex((r) => r.folder === folder && r.id === id);
  if (at >= 0) {
    state.rows.splice(at, 1);
    if (state.selected && state.selected.folder === folder && state.selected.id === id) selectAfterRemoval(at);
    emit("list");
  }
  if (state.open && state.open.folder === folder && state.open.id === id) update({ open: null }, "reader");
}

function setFlags(folder, id, flags) {
  const row = state.rows.find((r) => r.folder === folder && r.id === id);
  if (row) { row.flags = flags; emit("list"); }
  if (state.mode === "threads") refreshList();
  if (state.open && state.open.folder === folder && state.open.id === id) {
    state.open.flags = flags;
    emit("reader-flags");
  }
}

/** Applies one push event. */
export function applyEvent(event) {
  if (typeof event.state === "number") state.eventState = Math.max(state.eventState, event.state);
  switch (event.event) {
    case "message.added":
      if (event.message) upsert(event.message);
      break;
    case "message.flags":
      setFlags(event.folder, event.id, event.flags);
      break;
    case "message.moved": {
      // A message open here and moved elsewhere (by another tab) stays open at its new place.
      const open = state.open && state.open.folder === event.folder && state.open.id === event.id ? state.open : null;
      remove(event.folder, event.id);
      if (event.message) upsert(event.message);
      if (open && event.message && event.to !== "Trash") {
        update({ open: { ...open, folder: event.to, id: event.toId } }, "reader");
      }
      break;
    }
    case "message.removed":
      remove(event.folder, event.id);
      break;
    case "folder.renamed":
      // The rows name the old folder; list them again under the new name.
      if (state.folder === event.oldFolder || state.folder.startsWith(`${event.oldFolder}/`)) {
        openFolder(event.folder + state.folder.slice(event.oldFolder.length));
      }
      break;
    case "folder.deleted":
      if (state.folder === event.folder) openFolder("Inbox");
      break;
    case "quota":
      if (event.level !== "ok") toast(`Mailbox ${event.level === "exceeded" ? "full" : "nearly full"}: ${Math.round(100 * event.used / event.limit)}% of the quota used.`, event.level === "exceeded" ? "error" : "info");
      break;
    case "events.overflow":
      resubscribe();
      return;
    default:
      break;
  }
  refreshFolders();
}

/** Subscribes to events; after a reconnect, catches up with `changes` since the last state applied. */
export async function subscribe(conn, again) {
  const since = state.eventState;
  const { head } = await conn.send({ cmd: "events.subscribe" });
  if (!again || since === 0) {
    state.eventState = Math.max(state.eventState, head.state);
    return;
  }
  await catchUp(conn, since);
}

async function catchUp(conn, since) {
  // Event states may repeat; asking from one state earlier is harmless (client.md, "Overflow").
  let from = Math.max(0, since - 1);
  let tooOld = false;
  try {
    for (;;) {
      const { head } = await conn.send({ cmd: "changes", since: from, limit: 500 });
      for (const r of head.removed || []) remove(r.folder, r.id);
      for (const m of head.created || []) upsert(m);
      for (const m of head.changed || []) setFlags(m.folder, m.id, m.flags);
      state.eventState = Math.max(state.eventState, head.state);
      if (!head.more) break;
      from = head.state;
    }
  } catch (e) {
    if (e.code !== "state.too-old") throw e;
    tooOld = true;
  }
  // Folder counts and threads are simplest to list again; so is everything when too old. These
  // run once the connection is ready again (request waits for it).
  refreshFolders();
  if (tooOld || state.mode !== "messages") refreshList();
}

async function resubscribe() {
  await guard(async () => {
    await request({ cmd: "events.subscribe" });
    await catchUp(state.conn, state.eventState);
  });
}

export { keyOf };
