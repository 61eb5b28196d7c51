// A digest list: posts are collected during the day and sent as ONE message to each
// subscriber at 18:00 Berlin time. No posts that day, no digest.
//
//   Join / leave: the subject "subscribe" / "unsubscribe"
//
// Install: butterfly script put digest@example.org 4-daily-digest.js
// State:   { "subscribers": [...], "pending": [{ "from": ..., "subject": ..., "text": ..., "at": ... }] }

export const schedule = { daily: "18:00", timeZone: "Europe/Berlin" };

// Keep the stored state small: a post is cut to this many characters, and a day holds at most this many posts.
const MAX_POST_LENGTH = 2000;
const MAX_POSTS_PER_DAY = 200;

export function onMessage(message, ctx) {
  if (isAutomated(message)) {
    return;
  }

  const subscribers = (ctx.state.subscribers ??= []);
  const pending = (ctx.state.pending ??= []);
  const sender = message.from.toLowerCase();
  const command = message.subject.trim().toLowerCase();

  if (command === "subscribe") {
    if (!subscribers.includes(sender)) {
      subscribers.push(sender);
    }
    ctx.reply({ text: `Welcome to ${ctx.address}. You will get one digest a day at 18:00 (Berlin).` });
    return;
  }

  if (command === "unsubscribe") {
    ctx.state.subscribers = subscribers.filter((address) => address !== sender);
    ctx.reply({ text: `You have left ${ctx.address}.` });
    return;
  }

  if (!subscribers.includes(sender)) {
    ctx.reply({ text: `Only subscribers may post to ${ctx.address}. Send "subscribe" to join.` });
    return;
  }

  if (pending.length >= MAX_POSTS_PER_DAY) {
    ctx.reply({ text: `Today's digest is full (${MAX_POSTS_PER_DAY} posts). Please post again after 18:00.` });
    return;
  }

  pending.push({
    from: message.fromName ? `${message.fromName} <${sender}>` : sender,
    subject: message.subject,
    text: message.text.slice(0, MAX_POST_LENGTH),
    at: ctx.now.toISOString(),
  });
  ctx.log(`post ${pending.length} of today's digest from ${sender}`);
}

export function onSchedule(ctx) {
  const pending = ctx.state.pending ?? [];
  const subscribers = ctx.state.subscribers ?? [];
  if (pending.length === 0) {
    return;
  }

  const day = ctx.now.toISOString().slice(0, 10);
  const contents = pending.map((post, i) => `${i + 1}. ${post.subject} (${post.from})`).join("\n");
  const bodies = pending
    .map((post, i) => `----- ${i + 1}. ${post.subject}\nFrom: ${post.from}\nAt: ${post.at}\n\n${post.text.trim()}\n`)
    .join("\n");
  for (const subscriber of subscribers) {
    ctx.send({
      to: subscriber,
      subject: `${ctx.address} digest for ${day}: ${pending.length} post${pending.length === 1 ? "" : "s"}`,
      text: `${contents}\n\n${bodies}`,
      headers: { "Precedence": "list", "Auto-Submitted": "auto-generated" },
    });
  }
  ctx.state.pending = [];
}

function isAutomated(message) {
  const autoSubmitted = (message.header("Auto-Submitted") ?? "no").trim().toLowerCase();
  return message.envelope.from === "" || autoSubmitted !== "no";
}
