using System.Globalization;
using System.Security.Cryptography;
using Butterfly.Mime;
using Butterfly.Server.Mail;
using Butterfly.Server.Wire;

namespace Butterfly.Server.Delivery;

/// <summary>Trace fields and ids.</summary>
internal sealed partial class DeliveryPipeline
{
    // RFC 5322 §3.6.3 and §3.6.6: blind copies, of the message and of a resent message alike.
    private static readonly string[] BlindFields = ["Bcc", "Resent-Bcc"];

    /// <summary>
    /// An RFC 5322 §3.6.7 trace field; "for" only when it names a single recipient, so it leaks no Bcc.
    /// The id names this delivery in logs, and makes each delivery's stored content its own.
    /// </summary>
    private string TraceField(string from, string? singleRecipient, DateTimeOffset now, string newline, string protocol = "BUTTERFLY")
    {
        Span<byte> id = stackalloc byte[8];
        RandomNumberGenerator.Fill(id);
        var forClause = singleRecipient is null ? string.Empty : $"{newline}\tfor <{singleRecipient}>";
        return $"Received: from {from}{newline}" +
               $"\tby {_options.EffectiveServerName} (Butterfly {ServerInfo.Version}) with {protocol} id {Convert.ToHexStringLower(id)}{forClause};{newline}" +
               $"\t{FormatDate(now)}{newline}";
    }

    /// <summary>The message with the trace field on top, and Date and Message-ID added when missing.</summary>
    private static byte[] WithTrace(ReadOnlySpan<byte> raw, MimeMessage parsed, string trace, DateTimeOffset now, string messageId, bool dropBcc)
    {
        var newline = RawHeaders.LineEnding(raw);
        var prepend = trace;
        if (parsed.Date is null && !parsed.Headers.Contains("Date"))
        {
            prepend += "Date: " + FormatDate(now) + newline;
        }

        if (parsed.MessageId is null && !parsed.Headers.Contains("Message-ID"))
        {
            prepend += "Message-ID: " + messageId + newline;
        }

        return RawHeaders.Rewrite(raw, parsed, prepend, dropBcc ? BlindFields : []);
    }

    private string NewMessageId()
    {
        Span<byte> random = stackalloc byte[12];
        RandomNumberGenerator.Fill(random);
        return $"<{Convert.ToHexStringLower(random)}.{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}@{_options.EffectiveServerName}>";
    }

    /// <summary>A delivery id: 128 random bits as 32 hex characters (peer.md, "Exactly once").</summary>
    internal static string NewDeliveryId()
    {
        Span<byte> random = stackalloc byte[16];
        RandomNumberGenerator.Fill(random);
        return Convert.ToHexStringLower(random);
    }

    internal static string FormatDate(DateTimeOffset date) =>
        date.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);
}
