// Thwonk's first example: a mailing list that trims every post to 140 characters
// and sends it to every subscriber — a Twitter-like mailing list.
//
//   Join:   mail this address with the subject "subscribe"
//   Leave:  mail it with the subject "unsubscribe"
//   Post:   anything else a subscriber sends goes to everyone, trimmed
//
// Install: butterfly script put play@example.org 1-tiny-list.js
// State:   { "subscribers": ["alice@example.org", ...] }

const MAX_LENGTH = 140;

export function onMessage(message, ctx) {
  // Never answer bounces or other robots: that is how mail loops start.
  if (isAutomated(message)) {
    return;
  }

  const subscribers = (ctx.state.subscribers ??= []);
  const sender = message.from.toLowerCase();
  const command = message.subject.trim().toLowerCase();

  if (command === "subscribe") {
    if (!subscribers.includes(sender)) {
      subscribers.push(sender);
    }
    ctx.reply({ text: `Welcome to ${ctx.address}! Posts are trimmed to ${MAX_LENGTH} characters.\nSend "unsubscribe" to leave.` });
    return;
  }

  if (command === "unsubscribe") {
    ctx.state.subscribers = subscribers.filter((address) => address !== sender);
    ctx.reply({ text: `You have left ${ctx.address}. Send "subscribe" to come back.` });
    return;
  }

  if (!subscribers.includes(sender)) {
    ctx.reply({ text: `Only subscribers may post to ${ctx.address}. Send "subscribe" to join.` });
    return;
  }

  const post = trim(message.text, MAX_LENGTH);
  const author = message.fromName ?? sender;
  // One message per subscriber (the poster too), so nobody sees the others' addresses.
  for (const subscriber of subscribers) {
    ctx.send({
      to: subscriber,
      subject: message.subject,
      text: `${author}: ${post}`,
      headers: { "List-Id": `<${ctx.address.replace("@", ".")}>`, "Reply-To": ctx.address, "Precedence": "list" },
    });
  }
  ctx.log(`post from ${sender} sent to ${subscribers.length} subscribers`);
}

// Whitespace collapsed, then cut to max characters (an ellipsis marks the cut).
function trim(text, max) {
  const characters = Array.from(text.replace(/\s+/g, " ").trim());
  return characters.length <= max ? characters.join("") : characters.slice(0, max - 1).join("") + "…";
}

// RFC 3834: no replies to bounces (empty envelope sender) or to auto-generated mail.
function isAutomated(message) {
  const autoSubmitted = (message.header("Auto-Submitted") ?? "no").trim().toLowerCase();
  return message.envelope.from === "" || autoSubmitted !== "no";
}
