using Butterfly.Server.Mail;
using MailKit.Net.Smtp;

namespace Butterfly.Server.Smtp.Outbound;

/// <summary>What an SMTP server's reply means for a recipient: status word, error code and words for the bounce.</summary>
internal static class SmtpReplies
{
    /// <summary>The result of a recipient the server refused with <paramref name="code"/> and <paramref name="text"/>.</summary>
    /// <param name="recipient">The recipient.</param>
    /// <param name="host">The server that answered (RFC 3464 Remote-MTA).</param>
    /// <param name="code">The three-digit reply code.</param>
    /// <param name="text">The reply text.</param>
    public static RecipientResult Refusal(string recipient, string host, int code, string text)
    {
        var enhanced = EnhancedStatus(text) ?? (code >= 500 ? "5.0.0" : "4.0.0");
        var status = code >= 500
            ? enhanced.StartsWith("5.1.", StringComparison.Ordinal) ? RecipientStatus.Unknown
                : enhanced == "5.2.2" ? RecipientStatus.OverQuota
                : RecipientStatus.Rejected
            : RecipientStatus.TempFail;
        return new RecipientResult(recipient, status, "smtp." + enhanced, $"{host} said: {code} {text.Trim()}");
    }

    /// <summary>The same for a refusal of the whole message.</summary>
    public static RecipientResult Refusal(string recipient, string host, SmtpCommandException ex) =>
        Refusal(recipient, host, (int)ex.StatusCode, ex.Message);

    /// <summary>The RFC 3463 code at the start of a reply's text, when it has one (RFC 2034).</summary>
    /// <param name="text">The reply text.</param>
    public static string? EnhancedStatus(string text)
    {
        var token = text.TrimStart().Split(' ', 2)[0];
        var parts = token.Split('.');
        return parts.Length == 3
            && parts[0] is "2" or "4" or "5"
            && parts[1].Length is >= 1 and <= 3 && parts[1].All(char.IsAsciiDigit)
            && parts[2].Length is >= 1 and <= 3 && parts[2].All(char.IsAsciiDigit)
            ? token
            : null;
    }
}
