// Formatting of dates, sizes and addresses for display.

const sameDay = (a, b) => a.toDateString() === b.toDateString();

/** Short date for list rows: time today, day and month this year, else the full date. */
export function shortDate(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const now = new Date();
  if (sameDay(date, now)) return date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  if (date.getFullYear() === now.getFullYear()) return date.toLocaleDateString([], { day: "numeric", month: "short" });
  return date.toLocaleDateString();
}

/** Full date for the reader. */
export function longDate(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? (iso || "") : date.toLocaleString();
}

/** Bytes as B, KB, MB, GB. */
export function size(bytes) {
  if (bytes === null || bytes === undefined) return "no limit";
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** "Bob <bob@x>" → "Bob"; a bare address stays as it is. */
export function displayName(address) {
  if (!address) return "";
  const match = /^\s*"?([^"<]*?)"?\s*<[^>]+>\s*$/.exec(address);
  return match && match[1] ? match[1] : address;
}

/** "Bob <bob@x>" → "bob@x". */
export function bareAddress(address) {
  const match = /<([^>]+)>/.exec(address || "");
  return (match ? match[1] : address || "").trim();
}

/** Splits a comma- or semicolon-separated address field, keeping quoted display names whole. */
export function splitAddresses(text) {
  const out = [];
  let current = "";
  let quoted = false;
  for (const ch of text || "") {
    if (ch === '"') quoted = !quoted;
    if (!quoted && (ch === "," || ch === ";")) { out.push(current); current = ""; continue; }
    current += ch;
  }
  out.push(current);
  return out.map((s) => s.trim()).filter(Boolean);
}
