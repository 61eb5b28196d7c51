using Butterfly.Mime;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Configuration;
using Butterfly.Server.Mail;
using Butterfly.Storage;

namespace Butterfly.Server.Delivery;

/// <summary>
/// Checks what a client submits before anything is stored: size first (cheap), then a parse under
/// the configured MIME limits; and turns a parsed message into the summary the store keeps.
/// </summary>
internal sealed class MessageIntake
{
    // Subject and every field that holds addresses (RFC 5322 §3.6.2, §3.6.3, §3.6.6, §3.6.7).
    private static readonly string[] CheckedFields =
    [
        "Subject", "From", "Sender", "Reply-To", "To", "Cc", "Bcc", "Return-Path",
        "Resent-From", "Resent-Sender", "Resent-To", "Resent-Cc", "Resent-Bcc",
    ];

    private static readonly System.Buffers.SearchValues<char> ControlCharacters = System.Buffers.SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000A\u000B\u000C\u000D\u000E\u000F"
        + "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\u007F");

    private readonly LimitOptions _limits;
    private readonly ParserOptions _parser;

    public MessageIntake(ButterflyOptions options)
    {
        _limits = options.Limits;
        _parser = new ParserOptions
        {
            MaxDepth = options.Limits.MaxMimeDepth,
            MaxParts = options.Limits.MaxMimeParts,
            MaxHeaderBlockBytes = options.Limits.MaxHeaderBytes,
        };
    }

    /// <summary>Checks and parses a submitted message.</summary>
    /// <param name="raw">The bytes.</param>
    /// <param name="message">The parsed message.</param>
    /// <param name="problem">A message for the client when the result is an error.</param>
    public ErrorCode Check(ReadOnlyMemory<byte> raw, out MimeMessage? message, out string? problem)
    {
        message = null;
        problem = null;
        if (raw.IsEmpty)
        {
            return ErrorCode.MessageEmpty;
        }

        if (raw.Length > _limits.MaxMessageBytes)
        {
            problem = $"The message is {raw.Length:N0} bytes; this server accepts at most {_limits.MaxMessageBytes:N0}.";
            return ErrorCode.MessageTooLarge;
        }

        var error = MimeMessage.TryParse(raw, _parser, out message);
        if (error != MimeError.None || message is null)
        {
            problem = $"The message cannot be parsed: {Describe(error)}.";
            return ErrorCode.MessageInvalid;
        }

        if (message.Headers.Count == 0)
        {
            problem = "The message has no header fields.";
            return ErrorCode.MessageInvalid;
        }

        problem = ControlCharacterProblem(message);
        return problem is null ? ErrorCode.None : ErrorCode.MessageInvalid;
    }

    /// <summary>
    /// protocol/client.md, "Sender identity": NUL and the other C0 controls (tab aside) and DEL are
    /// refused in the subject and address fields, as written and after RFC 2047 decoding, so no
    /// reader shows a name cut short or a subject that hides what follows it.
    /// </summary>
    /// <param name="message">The parsed message.</param>
    /// <returns>A sentence naming the field and the character, or null.</returns>
    public static string? ControlCharacterProblem(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        foreach (var header in message.Headers)
        {
            if (!CheckedFields.Any(header.Is))
            {
                continue;
            }

            foreach (var text in (ReadOnlySpan<string>)[header.Value, header.DecodedValue])
            {
                var at = text.AsSpan().IndexOfAny(ControlCharacters);
                if (at >= 0)
                {
                    return string.Create(
                        System.Globalization.CultureInfo.InvariantCulture,
                        $"The {header.Name} field contains a control character (U+{(int)text[at]:X4}); subject and address fields may not.");
                }
            }
        }

        return null;
    }

    /// <summary>The summary the store keeps with the content, decoded for list replies.</summary>
    /// <param name="message">The parsed message.</param>
    /// <param name="date">The Date to record when the message has none.</param>
    /// <param name="messageId">The Message-ID to record when the message has none.</param>
    public static ContentSummary Summarize(MimeMessage message, DateTimeOffset? date = null, string? messageId = null) => new(
        message.From.Count == 0 ? null : string.Join(", ", message.From.Select(a => a.ToString())),
        message.To.Select(a => a.ToString()).ToArray(),
        message.Cc.Select(a => a.ToString()).ToArray(),
        message.Subject,
        message.Date ?? date,
        message.MessageId ?? messageId)
    {
        Text = SearchText.Extract(message),
    };

    private static string Describe(MimeError error) => error switch
    {
        MimeError.Empty => "it is empty",
        MimeError.HeaderBlockTooLarge => "the header block is too large",
        MimeError.TooManyHeaderFields => "it has too many header fields",
        MimeError.LineTooLong => "a line is too long",
        MimeError.TooDeep => "its MIME parts are nested too deeply",
        MimeError.TooManyParts => "it has too many MIME parts",
        MimeError.TooManyParameters => "a header has too many parameters",
        _ => "it is malformed",
    };
}
