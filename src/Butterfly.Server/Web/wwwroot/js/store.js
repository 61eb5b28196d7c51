// The app's state and a small change notifier. Views read `state` and re-draw when told.

/** The one state object; change it through `update` so listeners hear of it. */
export const state = {
  conn: null,          // the Connection
  user: null,          // logged-in address
  folders: [],         // folder.list entries
  folder: "Inbox",     // selected folder
  mode: "messages",    // messages | threads | search
  query: "",
  rows: [],            // message summaries (or thread entries in threads mode)
  next: null,          // paging cursor for the next page
  selected: null,      // {folder, id} of the highlighted row
  open: null,          // {folder, id, view} of the message in the reader
  eventState: 0,       // last event state applied (for `changes` after a reconnect)
};

const listeners = new Map();

/** Registers `fn` for a topic ("folders", "list", "reader", "selection", "user"). */
export function on(topic, fn) {
  if (!listeners.has(topic)) listeners.set(topic, new Set());
  listeners.get(topic).add(fn);
}

/** Tells the listeners of each topic. */
export function emit(...topics) {
  for (const topic of topics) for (const fn of listeners.get(topic) || []) fn(state);
}

/** Assigns `patch` to the state, then tells the topics. */
export function update(patch, ...topics) {
  Object.assign(state, patch);
  emit(...topics);
}

/** The request function of the current connection. */
export function request(head, body) {
  return state.conn.request(head, body);
}

/** Key of a message row. */
export const keyOf = (folder, id) => `${folder}\u0000${id}`;
