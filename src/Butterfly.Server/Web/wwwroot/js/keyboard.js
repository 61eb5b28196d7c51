// Keyboard shortcuts (listed in the `?` dialog). They act only when focus is not in a text field
// and no dialog is open, so typing is never taken for a command.

import { byId } from "./dom.js";
import { state } from "./store.js";
import { step, selectedIndex } from "./mail.js";
import { openMessage } from "./views/reader.js";
import { archive, remove, respond } from "./views/actions.js";
import { openCompose } from "./views/compose.js";
import { openHelp, showPane, showScreen } from "./views/shell.js";

function typing(target) {
  return target.closest("input, textarea, select, [contenteditable]") !== null;
}

function openSelected() {
  const at = selectedIndex();
  if (at >= 0) openMessage(state.rows[at]);
}

// In the reader, j/k open the next/previous message; in the list they move the highlight.
function next(delta) {
  const inReader = document.getElementById("reader").contains(document.activeElement);
  const row = step(delta);
  if (row && inReader) openMessage(row);
}

const keys = {
  j: () => next(1),
  k: () => next(-1),
  ArrowDown: () => step(1),
  ArrowUp: () => step(-1),
  o: openSelected,
  Enter: openSelected,
  r: () => respond("reply"),
  a: () => respond("all"),
  f: () => respond("forward"),
  c: () => openCompose({}),
  "/": () => byId("search-input").focus(),
  e: archive,
  "#": remove,
  "?": openHelp,
  Escape: () => {
    if (document.getElementById("app").dataset.screen !== "mail") showScreen("mail");
    else showPane("list");
    byId("message-list").focus();
  },
};

export function initKeyboard() {
  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    if (document.querySelector("dialog[open]") || typing(e.target)) return;
    if (document.getElementById("app").hidden) return;
    // Enter and arrows belong to buttons and links when they have focus.
    if ((e.key === "Enter" || e.key.startsWith("Arrow")) && e.target.closest("button, a, iframe")) return;
    const action = keys[e.key];
    if (!action) return;
    e.preventDefault();
    action();
  });
}
