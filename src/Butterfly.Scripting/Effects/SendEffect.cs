namespace Butterfly.Scripting;

/// <summary>A new message from the scripted address (<c>ctx.send</c>, <c>ctx.reply</c>); <see cref="ScriptMail.Compose"/> writes it.</summary>
/// <param name="To">Recipients (plain <c>local@domain</c>).</param>
/// <param name="Cc">Copy recipients.</param>
/// <param name="Subject">The subject (no line breaks).</param>
/// <param name="Text">The plain-text body, or null.</param>
/// <param name="Html">The HTML body, or null.</param>
/// <param name="Headers">Extra header fields, in order; never the ones the server writes (From, To, Date, Message-ID, MIME ...).</param>
/// <param name="InReplyTo">The Message-ID this answers, without angle brackets, or null.</param>
/// <param name="References">The References chain (Message-IDs without angle brackets).</param>
public sealed record SendEffect(
    IReadOnlyList<string> To,
    IReadOnlyList<string> Cc,
    string Subject,
    string? Text,
    string? Html,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string? InReplyTo,
    IReadOnlyList<string> References) : ScriptEffect
{
    /// <summary>Every recipient: <see cref="To"/> then <see cref="Cc"/>.</summary>
    public IEnumerable<string> Recipients => To.Concat(Cc);
}
