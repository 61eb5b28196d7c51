using System.Text;
using Butterfly.Filters;
using Butterfly.Mime;

namespace Butterfly.Examples.VacationFilter;

/// <summary>
/// On the inbound stage: accepts every message and, for each vacationing recipient, injects one
/// reply to the sender at most once per period (protocol/filter.md, "Verdicts": inject).
/// </summary>
internal sealed class VacationHandler(IReadOnlySet<string> accounts, string text, VacationState state, TimeProvider clock)
{
    public ValueTask<Verdict> HandleAsync(FilterMessage message, FilterContext context, CancellationToken ct)
    {
        var verdict = Verdict.Accept();
        var away = message.Recipients
            .Where(accounts.Contains)
            .Where(r => !string.Equals(r, message.Sender, StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (away.Count == 0)
        {
            return ValueTask.FromResult(verdict);
        }

        var parsed = message.Parse();
        if (!AutoReplyRules.MayAnswer(message.Sender, parsed))
        {
            return ValueTask.FromResult(verdict);
        }

        var now = clock.GetUtcNow();
        foreach (var account in away)
        {
            if (state.TryClaim(account, message.Sender, now))
            {
                verdict.Inject(account, [message.Sender], Reply(account, message.Sender, parsed));
            }
        }

        return ValueTask.FromResult(verdict);
    }

    private byte[] Reply(string account, string sender, MimeMessage original)
    {
        var builder = new MessageBuilder
        {
            From = new MailboxAddress(null, account),
            Subject = "Auto: " + (original.Subject ?? ""),
            InReplyTo = original.MessageId,
            TextBody = text,
        };
        builder.To.Add(new MailboxAddress(null, sender));
        foreach (var reference in original.References)
        {
            builder.References.Add(reference);
        }

        if (original.MessageId is { } id)
        {
            builder.References.Add(id);
        }

        // RFC 3834, section 5: mark the reply so other responders do not answer it.
        return [.. "Auto-Submitted: auto-replied\r\n"u8, .. builder.ToBytes()];
    }
}
