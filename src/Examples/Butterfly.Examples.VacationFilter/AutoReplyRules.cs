using MimeKit;

namespace Butterfly.Examples.VacationFilter;

/// <summary>When an automatic reply must not be sent (RFC 3834, section 2).</summary>
internal static class AutoReplyRules
{
    /// <summary>True when <paramref name="message"/> from <paramref name="sender"/> may be answered automatically.</summary>
    public static bool MayAnswer(string sender, MimeMessage message)
    {
        // No return path, or one that belongs to software: a reply would go nowhere or start a loop.
        var at = sender.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0)
        {
            return false;
        }

        var local = sender[..at].ToLowerInvariant();
        if (local is "mailer-daemon" or "postmaster" or "listserv" or "majordomo"
            || local.StartsWith("owner-", StringComparison.Ordinal) || local.EndsWith("-request", StringComparison.Ordinal))
        {
            return false;
        }

        var headers = message.Headers;

        // Auto-Submitted other than "no" (an auto-reply, an auto-generated notice): never answer.
        var autoSubmitted = headers["Auto-Submitted"];
        if (autoSubmitted is not null)
        {
            var semicolon = autoSubmitted.IndexOf(';', StringComparison.Ordinal);
            var keyword = (semicolon >= 0 ? autoSubmitted[..semicolon] : autoSubmitted).Trim();
            if (!keyword.Equals("no", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        // Bulk mail and list traffic: the list's members did not write to this person.
        var precedence = headers["Precedence"]?.Trim().ToLowerInvariant();
        return precedence is not ("bulk" or "list" or "junk") && !headers.Contains("List-Id");
    }
}
