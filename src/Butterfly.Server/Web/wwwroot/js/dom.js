// A tiny element builder: h("button", {testid: "x", onclick}, "Text"). Text is always set as
// text nodes, never parsed as HTML, so nothing a message holds can become markup here.

/** Creates an element; props: class, testid, on* handlers, dataset, attributes; children: nodes or text. */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "testid") el.dataset.testid = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key in el && typeof value !== "string") el[key] = value;
    else el.setAttribute(key, value === true ? "" : value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** Finds one element by its test id inside `root`. */
export function byId(testid, root = document) {
  return root.querySelector(`[data-testid="${testid}"]`);
}

/** Runs `fn` at most once per `ms`, after the last call. */
export function debounce(fn, ms) {
  let timer;
  const run = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  run.flush = () => { clearTimeout(timer); fn(); };
  run.cancel = () => clearTimeout(timer);
  return run;
}

// Makes `el` look like `fresh`, keeping every element whose tag stays the same. Listeners stay
// those of `el`: a kept item's handlers must not depend on what changed (read data-* instead).
function morph(el, fresh) {
  if (el.nodeName !== fresh.nodeName) {
    el.replaceWith(fresh);
    return fresh;
  }
  if (el.nodeType === Node.TEXT_NODE) {
    if (el.data !== fresh.data) el.data = fresh.data;
    return el;
  }
  for (const name of el.getAttributeNames()) if (!fresh.hasAttribute(name)) el.removeAttribute(name);
  for (const name of fresh.getAttributeNames()) {
    if (el.getAttribute(name) !== fresh.getAttribute(name)) el.setAttribute(name, fresh.getAttribute(name));
  }
  const next = [...fresh.childNodes];
  next.forEach((child, i) => {
    const mine = el.childNodes[i];
    if (mine) morph(mine, child);
    else el.append(child);
  });
  while (el.childNodes.length > next.length) el.lastChild.remove();
  return el;
}

/**
 * Draws `items` into `container`, one element per item, keeping each item's element from the
 * last draw (found by `key`) and changing it in place when `render` gives something different:
 * focus, screen readers and test drivers keep their element across live updates.
 */
export function reconcile(container, items, key, render) {
  const old = new Map();
  for (const el of container.children) if (el.dataset.key !== undefined) old.set(el.dataset.key, el);
  const els = items.map((item, index) => {
    const fresh = render(item, index);
    fresh.dataset.key = key(item);
    const el = old.get(fresh.dataset.key);
    return el ? morph(el, fresh) : fresh;
  });
  // Only move what is out of place, so unchanged rows are not even re-inserted.
  els.forEach((el, i) => { if (container.children[i] !== el) container.insertBefore(el, container.children[i] || null); });
  while (container.children.length > els.length) container.lastElementChild.remove();
}
