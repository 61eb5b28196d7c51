// The frame around the screens: header buttons, search box, switching between the mail screen,
// settings and scripts, and (at phone width) between the folder list, message list and reader.

import { byId } from "../dom.js";
import { search, openFolder } from "../mail.js";
import { state } from "../store.js";
import { openSettings } from "./settings.js";
import { openScripts } from "./scripts.js";
import { openCompose } from "./compose.js";

const app = () => document.getElementById("app");

/** Shows "mail", "settings" or "scripts". */
export function showScreen(name) {
  app().dataset.screen = name;
  for (const id of ["folders", "list", "reader"]) document.getElementById(id).hidden = name !== "mail";
  document.getElementById("settings").hidden = name !== "settings";
  document.getElementById("scripts").hidden = name !== "scripts";
}

/** At phone width only one pane shows: "folders", "list" or "reader". */
export function showPane(name) {
  app().dataset.pane = name;
}

/** Asks a yes/no question in the confirm dialog; resolves true for OK. */
export function ask(text, okLabel = "OK") {
  const dialog = byId("confirm-dialog");
  byId("confirm-text").textContent = text;
  byId("confirm-ok").textContent = okLabel;
  dialog.returnValue = "";
  dialog.showModal();
  byId("confirm-cancel").focus();
  return new Promise((resolve) => dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true }));
}

/** Opens the keyboard help. */
export function openHelp() {
  const dialog = byId("help-dialog");
  if (!dialog.open) dialog.showModal();
}

export function initShell({ logout }) {
  byId("logout").addEventListener("click", logout);
  byId("open-help").addEventListener("click", openHelp);
  byId("compose-new").addEventListener("click", () => openCompose({}));
  byId("open-settings").addEventListener("click", () => { showScreen("settings"); openSettings(() => showScreen("mail")); });
  byId("open-scripts").addEventListener("click", () => { showScreen("scripts"); openScripts(() => showScreen("mail")); });
  byId("nav-folders").addEventListener("click", () => {
    showScreen("mail");
    showPane(app().dataset.pane === "folders" ? "list" : "folders");
  });

  const input = byId("search-input");
  const clear = byId("search-clear");
  byId("search-form").addEventListener("submit", (e) => {
    e.preventDefault();
    showScreen("mail");
    showPane("list");
    clear.hidden = !input.value;
    search(input.value);
  });
  clear.addEventListener("click", () => {
    input.value = "";
    clear.hidden = true;
    openFolder(state.folder);
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && input.value) { e.stopPropagation(); clear.click(); }
  });
}
