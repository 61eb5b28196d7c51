using Butterfly.Filters;

namespace Butterfly.Examples.VacationFilter;

/// <summary>
/// On the inbound stage: accepts every message and, for each vacationing recipient, injects one
/// reply to the sender at most once per period (protocol/filter.md, "Verdicts": inject).
/// </summary>
internal sealed class VacationHandler(IReadOnlySet<string> accounts, string text, TimeSpan period, VacationState state, TimeProvider clock)
{
    public ValueTask<Verdict> HandleAsync(FilterMessage message, FilterContext context, CancellationToken ct)
    {
        var verdict = Verdict.Accept();
        var away = message.Recipients
            .Where(accounts.Contains)
            .Where(r => !string.Equals(r, message.Sender, StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();

        // Only mail to an account on vacation is parsed at all.
        if (away.Count == 0)
        {
            return ValueTask.FromResult(verdict);
        }

        var original = message.Mime;
        if (!AutoReplyRules.MayAnswer(message.Sender, original))
        {
            return ValueTask.FromResult(verdict);
        }

        var now = clock.GetUtcNow();
        foreach (var account in away)
        {
            if (state.TryClaim(account, message.Sender, now, period))
            {
                verdict.Inject(account, [message.Sender], AutoReply.Compose(account, message.Sender, original, text, now));
            }
        }

        return ValueTask.FromResult(verdict);
    }
}
