// One place that shows errors and notices to the user (the `toast` region, role=alert).

let timer;

/** Shows a message; errors stay longer. `error` may be a CommandError (its server message is shown). */
export function toast(message, kind = "info") {
  const el = document.querySelector('[data-testid="toast"]');
  el.textContent = message;
  el.dataset.kind = kind;
  el.hidden = false;
  clearTimeout(timer);
  timer = setTimeout(() => { el.hidden = true; }, kind === "error" ? 10000 : 4000);
}

/** Shows a failed command with the server's message. */
export function showError(error) {
  const text = error && error.code ? `${error.message} (${error.code})` : String(error && error.message || error);
  toast(text, "error");
}

/** Runs an async action and shows its failure. */
export async function guard(action) {
  try {
    return await action();
  } catch (e) {
    showError(e);
    return undefined;
  }
}
