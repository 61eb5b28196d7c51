// A mailing list where each member may post once a day (days run midnight to midnight, UTC).
// A second post the same day is not sent to the list: the member gets a reply saying when
// their next post is allowed.
//
//   Join / leave: the subject "subscribe" / "unsubscribe"
//
// Install: butterfly script put daily@example.org 2-one-post-a-day.js
// State:   { "members": [...], "lastPost": { "alice@example.org": "2026-03-02" } }

export function onMessage(message, ctx) {
  if (isAutomated(message)) {
    return;
  }

  const members = (ctx.state.members ??= []);
  const lastPost = (ctx.state.lastPost ??= {});
  const sender = message.from.toLowerCase();
  const command = message.subject.trim().toLowerCase();

  if (command === "subscribe") {
    if (!members.includes(sender)) {
      members.push(sender);
    }
    ctx.reply({ text: `Welcome to ${ctx.address}. You may post once a day.` });
    return;
  }

  if (command === "unsubscribe") {
    ctx.state.members = members.filter((address) => address !== sender);
    delete lastPost[sender];
    ctx.reply({ text: `You have left ${ctx.address}.` });
    return;
  }

  if (!members.includes(sender)) {
    ctx.reply({ text: `Only members may post to ${ctx.address}. Send "subscribe" to join.` });
    return;
  }

  const today = dayOf(ctx.now);
  if (lastPost[sender] === today) {
    const next = new Date(Date.UTC(ctx.now.getUTCFullYear(), ctx.now.getUTCMonth(), ctx.now.getUTCDate() + 1));
    const minutes = Math.ceil((next - ctx.now) / 60000);
    ctx.reply({
      text: `You have already posted to ${ctx.address} today, so this post was not sent.\n` +
            `Your next post is allowed from ${next.toISOString().replace("T", " ").slice(0, 16)} UTC ` +
            `(in ${Math.floor(minutes / 60)} h ${minutes % 60} min).`,
    });
    ctx.log(`second post today from ${sender} refused`);
    return;
  }

  lastPost[sender] = today;
  for (const member of members) {
    ctx.send({ to: member, subject: message.subject, text: message.text, headers: { "Reply-To": ctx.address, "Precedence": "list" } });
  }
}

// "2026-03-02": the UTC day of a Date.
function dayOf(date) {
  return date.toISOString().slice(0, 10);
}

function isAutomated(message) {
  const autoSubmitted = (message.header("Auto-Submitted") ?? "no").trim().toLowerCase();
  return message.envelope.from === "" || autoSubmitted !== "no";
}
