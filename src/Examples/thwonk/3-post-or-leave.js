// A mailing list where everyone MUST post once a day: just after midnight (UTC) the schedule
// unsubscribes each member who did not post the day before, and tells them so. Members who
// joined that day get a day's grace.
//
//   Join / leave: the subject "subscribe" / "unsubscribe"
//
// Install: butterfly script put chatty@example.org 3-post-or-leave.js
// State:   { "members": { "alice@example.org": { "joined": "2026-03-01", "posted": "2026-03-02" } } }

export const schedule = { daily: "00:05", timeZone: "UTC" };

export function onMessage(message, ctx) {
  if (isAutomated(message)) {
    return;
  }

  const members = (ctx.state.members ??= {});
  const sender = message.from.toLowerCase();
  const command = message.subject.trim().toLowerCase();
  const today = dayOf(ctx.now);

  if (command === "subscribe") {
    members[sender] ??= { joined: today, posted: null };
    ctx.reply({ text: `Welcome to ${ctx.address}. The rule: post at least once every day (UTC), or you are unsubscribed.` });
    return;
  }

  if (command === "unsubscribe") {
    delete members[sender];
    ctx.reply({ text: `You have left ${ctx.address}.` });
    return;
  }

  if (!(sender in members)) {
    ctx.reply({ text: `Only members may post to ${ctx.address}. Send "subscribe" to join.` });
    return;
  }

  members[sender].posted = today;
  for (const member of Object.keys(members)) {
    ctx.send({ to: member, subject: message.subject, text: message.text, headers: { "Reply-To": ctx.address, "Precedence": "list" } });
  }
}

export function onSchedule(ctx) {
  const members = (ctx.state.members ??= {});
  // The schedule runs just after midnight: the day to judge is yesterday.
  const yesterday = dayOf(new Date(ctx.now.getTime() - 24 * 60 * 60 * 1000));

  for (const [address, member] of Object.entries(members)) {
    const joinedInTime = member.joined < yesterday;
    // `posted` holds only the latest day: a post in the minutes since midnight hides yesterday's, so it counts too.
    if (joinedInTime && member.posted !== yesterday && member.posted !== dayOf(ctx.now)) {
      delete members[address];
      ctx.send({
        to: address,
        subject: `You have been unsubscribed from ${ctx.address}`,
        text: `You did not post to ${ctx.address} on ${yesterday}, and everyone must post once a day.\n` +
              `Send "subscribe" to join again.`,
        headers: { "Auto-Submitted": "auto-generated" },
      });
      ctx.log(`unsubscribed ${address}: no post on ${yesterday}`);
    }
  }
}

function dayOf(date) {
  return date.toISOString().slice(0, 10);
}

function isAutomated(message) {
  const autoSubmitted = (message.header("Auto-Submitted") ?? "no").trim().toLowerCase();
  return message.envelope.from === "" || autoSubmitted !== "no";
}
