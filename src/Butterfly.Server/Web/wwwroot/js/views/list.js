// The message list: rows newest first, paging, the threads toggle, selection and opening.

import { h, reconcile, byId } from "../dom.js";
import { state, on } from "../store.js";
import { loadList, select, setThreads, selectedIndex } from "../mail.js";
import { guard } from "../notify.js";
import { displayName, shortDate } from "../format.js";
import { openMessage } from "./reader.js";

const list = () => byId("message-list");

// One handler for every row: the row's data attributes name its message.
function clicked(e) {
  const li = e.currentTarget;
  const message = state.rows.find((r) => r.folder === li.dataset.folder && String(r.id) === li.dataset.id);
  if (!message) return;
  select(message);
  openMessage(message);
}

function row(message, index) {
  const unread = state.mode === "threads" ? message.threadUnseen > 0 : !(message.flags || []).includes("seen");
  const flagged = (message.flags || []).includes("flagged");
  const selected = state.selected && state.selected.folder === message.folder && state.selected.id === message.id;
  const from = message.folder === "Sent" || message.folder === "Drafts"
    ? `To: ${(message.to || []).map(displayName).join(", ")}` : displayName(message.from);
  return h("li", {
    id: `row-${index}`, role: "option", class: "row", testid: "message-row",
    "aria-selected": selected ? "true" : "false",
    dataset: { id: message.id, folder: message.folder, unread: unread ? "1" : "0", flagged: flagged ? "1" : "0" },
    onclick: clicked,
  },
  h("span", { class: "from", testid: "row-from" }, from || "(no sender)"),
  state.mode === "threads" && message.count > 1
    ? [h("span", { class: "badge", testid: "row-count" }, message.count), h("span", { class: "visually-hidden" }, " messages")] : null,
  flagged ? h("span", { class: "flag" }, h("span", { "aria-hidden": "true" }, "★"), h("span", { class: "visually-hidden" }, "flagged")) : null,
  h("span", { class: "date", testid: "row-date" }, shortDate(message.received || message.date)),
  h("span", { class: "subject", testid: "row-subject" }, message.subject || "(no subject)"),
  state.mode === "search" ? h("span", { class: "where" }, message.folder) : null,
  unread ? h("span", { class: "visually-hidden" }, ", unread") : null);
}

function draw() {
  const el = list();
  el.dataset.folder = state.folder;
  el.dataset.mode = state.mode;
  reconcile(el, state.rows, (m) => `${m.folder}/${m.id}`, row);
  byId("list-empty").hidden = state.rows.length > 0;
  byId("list-more").hidden = state.next === null || state.next === undefined;
  byId("threads-toggle").checked = state.mode === "threads";
  byId("threads-toggle").disabled = state.mode === "search";
  drawSelection();
}

function drawSelection() {
  const at = selectedIndex();
  const el = list();
  for (const li of el.children) li.setAttribute("aria-selected", "false");
  if (at < 0) { el.removeAttribute("aria-activedescendant"); return; }
  const li = el.children[at];
  if (!li) return;
  li.setAttribute("aria-selected", "true");
  el.setAttribute("aria-activedescendant", li.id);
  li.scrollIntoView({ block: "nearest" });
}

export function initList() {
  on("list", draw);
  on("selection", drawSelection);
  byId("list-more").addEventListener("click", () => guard(() => loadList(true)));
  byId("threads-toggle").addEventListener("change", (e) => setThreads(e.target.checked));
}
