namespace Butterfly.Server.Tests.Smtp;

/// <summary>One SMTP reply: its code and every line as sent.</summary>
/// <param name="Code">The three-digit code (0 when the reply had none).</param>
/// <param name="Lines">The lines, code included.</param>
internal sealed record SmtpReply(int Code, IReadOnlyList<string> Lines)
{
    /// <summary>The whole reply as one string, lines joined by " | ".</summary>
    public string Text => string.Join(" | ", Lines);

    /// <summary>Whether an EHLO reply lists <paramref name="keyword"/> (e.g. <c>SIZE</c>, <c>STARTTLS</c>).</summary>
    public bool Offers(string keyword) =>
        Lines.Skip(1).Any(l => l.Length > 4 && (l[4..].Equals(keyword, StringComparison.OrdinalIgnoreCase) || l[4..].StartsWith(keyword + " ", StringComparison.OrdinalIgnoreCase)));

    public override string ToString() => Text;
}
