// Settings: the account's address, aliases, lists, usage and quota; change password.

import { h, fill, byId } from "../dom.js";
import { request } from "../store.js";
import { guard } from "../notify.js";
import { size } from "../format.js";
import { renewToken, revokeAll } from "../session.js";

const section = () => document.getElementById("settings");

function row(label, testid, value) {
  return [h("dt", {}, label), h("dd", { testid }, value)];
}

function usage(account) {
  if (account.quota === null || account.quota === undefined) return `${size(account.usage)} (no quota)`;
  const percent = Math.round((100 * account.usage) / account.quota);
  return h("span", {}, `${size(account.usage)} of ${size(account.quota)} (${percent}%) `,
    h("meter", { min: 0, max: account.quota, value: account.usage, high: account.quota * 0.9, "aria-label": "Storage used" }));
}

async function changePassword(e) {
  e.preventDefault();
  const result = byId("passwd-result");
  const old = byId("passwd-old");
  const next = byId("passwd-new");
  try {
    await request({ cmd: "account.passwd", old: old.value, new: next.value });
    await renewToken(); // the change revoked every token, this tab's too
    result.dataset.kind = "ok";
    result.textContent = "Password changed. Other sessions must log in again.";
    old.value = "";
    next.value = "";
  } catch (err) {
    result.dataset.kind = "error";
    result.textContent = `${err.message} (${err.code})`;
  }
}

async function logOutElsewhere() {
  const revoked = await guard(revokeAll);
  if (revoked !== undefined) byId("revoke-result").textContent = `${revoked} token(s) revoked: other tabs and browsers must log in again when they reload or reconnect. This tab stays logged in.`;
}

/** Draws the settings screen; `back` returns to mail. */
export async function openSettings(back) {
  fill(section(),
    h("div", { class: "screen-head" },
      h("button", { type: "button", testid: "settings-back", onclick: back }, "← Mail"),
      h("h2", { id: "settings-title" }, "Settings")),
    h("h3", {}, "Account"),
    h("dl", { class: "facts", testid: "account" }, h("dt", {}, "Loading…")),
    h("h3", {}, "Change password"),
    h("form", { class: "stack narrow", testid: "passwd-form", onsubmit: changePassword },
      h("label", { for: "passwd-old" }, "Current password"),
      h("input", { id: "passwd-old", type: "password", autocomplete: "current-password", required: true, testid: "passwd-old" }),
      h("label", { for: "passwd-new" }, "New password (at least 8 characters)"),
      h("input", { id: "passwd-new", type: "password", autocomplete: "new-password", required: true, minLength: 8, testid: "passwd-new" }),
      h("button", { type: "submit", class: "primary", testid: "passwd-submit" }, "Change password"),
      h("p", { role: "status", testid: "passwd-result" })),
    h("h3", {}, "Sessions"),
    h("div", { class: "buttons" },
      h("button", { type: "button", testid: "revoke-all", onclick: logOutElsewhere }, "Log out other browsers"),
      h("span", { role: "status", testid: "revoke-result" })));
  byId("settings-back").focus();
  const reply = await guard(() => request({ cmd: "account" }));
  if (!reply) return;
  const a = reply.head;
  fill(byId("account"),
    row("Address", "account-address", a.address),
    row("Aliases", "account-aliases", a.aliases.length ? a.aliases.join(", ") : "none"),
    row("Lists you own", "account-lists", a.lists.length ? a.lists.join(", ") : "none"),
    row("Usage", "account-usage", usage(a)),
    row("Quota", "account-quota", a.quota === null || a.quota === undefined ? "none" : size(a.quota)));
}
