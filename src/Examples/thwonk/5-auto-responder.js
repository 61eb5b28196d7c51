// An auto-responder ("I'm away") with a per-sender cooldown: each sender gets at most one
// answer every COOLDOWN_HOURS. Every message is also filed into the owner's Inbox.
// Follows RFC 3834: never answers bounces, robots, or mailing lists.
//
// Install: butterfly script put alice@example.org 5-auto-responder.js
// State:   { "answered": { "bob@example.net": 1772452800000 } }   (when each sender was last answered, ms)

const COOLDOWN_HOURS = 24;
const REPLY = `Thank you for your message. I am away until Monday and will answer when I am back.`;

export function onMessage(message, ctx) {
  ctx.fileInto("Inbox");

  const sender = message.from.toLowerCase();
  if (!mayAnswer(message, ctx)) {
    return;
  }

  const cooldown = COOLDOWN_HOURS * 60 * 60 * 1000;
  const now = ctx.now.getTime();
  const answered = (ctx.state.answered ??= {});

  // Forget senders whose cooldown is over, so the state does not grow forever.
  for (const [address, at] of Object.entries(answered)) {
    if (now - at >= cooldown) {
      delete answered[address];
    }
  }

  if (sender in answered) {
    ctx.log(`${sender} was answered less than ${COOLDOWN_HOURS} h ago: no reply`);
    return;
  }

  answered[sender] = now;
  ctx.reply({ subject: `Auto: ${message.subject}`, text: REPLY, headers: { "Auto-Submitted": "auto-replied" } });
}

// RFC 3834, section 2: when not to answer automatically.
function mayAnswer(message, ctx) {
  const autoSubmitted = (message.header("Auto-Submitted") ?? "no").trim().toLowerCase();
  const precedence = (message.header("Precedence") ?? "").trim().toLowerCase();
  return message.envelope.from !== ""
    && message.from !== ""
    && message.from.toLowerCase() !== ctx.address.toLowerCase()
    && autoSubmitted === "no"
    && !["bulk", "list", "junk"].includes(precedence)
    && message.header("List-Id") === null
    && !/^(mailer-daemon|postmaster|noreply|no-reply)@/i.test(message.from);
}
