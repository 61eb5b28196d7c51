using System.Text.Json;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Mail;
using Butterfly.Server.Wire;
using MimeKit;

namespace Butterfly.Server.Commands;

/// <summary>
/// The simple fields of <c>send</c> and <c>draft.save</c> (protocol/client.md): addresses, subject, text, the ids of a
/// reply, and attached files whose bytes follow one another in the binary body, in the order <c>attachments</c> lists them.
/// </summary>
internal static class ComposeRequest
{
    /// <summary>Text longer than this is refused as too large.</summary>
    public const int MaxTextLength = 16 << 20;

    // Lists longer than this are refused as malformed; below it the configured recipient limit
    // gives the clearer recipient.too-many.
    private const int MaxListLength = 10_000;

    private const int MaxAttachments = 100;

    private const int MaxReferences = 100;

    /// <summary>Whether the request carries simple fields with attached files (then its body is theirs, not a raw message).</summary>
    /// <param name="head">The request head.</param>
    public static bool HasAttachments(JsonElement head) =>
        head.TryGetProperty("attachments"u8, out var list) && list.ValueKind != JsonValueKind.Null;

    /// <summary>Reads the fields; false with the error reply when one is missing, malformed or over a limit.</summary>
    /// <param name="context">The request.</param>
    /// <param name="fields">What to compose.</param>
    /// <param name="error">The reply when false.</param>
    public static bool TryRead(CommandContext context, out ComposeFields fields, out Reply error)
    {
        fields = null!;
        var head = context.Head;
        if (!Fields.TryStrings(head, "to", MaxListLength, out var to, out error)
            || !Fields.TryStrings(head, "cc", MaxListLength, out var cc, out error)
            || !Fields.TryStrings(head, "bcc", MaxListLength, out var bcc, out error)
            || !Fields.TryString(head, "subject", out var subject, out error, required: false)
            || !Fields.TryString(head, "text", out var text, out error, required: false)
            || !Fields.TryString(head, "inReplyTo", out var inReplyTo, out error, required: false)
            || !Fields.TryStrings(head, "references", MaxReferences, out var references, out error)
            || !TryAttachments(context, out var attachments, out error))
        {
            return false;
        }

        var maxRecipients = context.Services.Options.Limits.MaxRecipients;
        if (to.Count + cc.Count + bcc.Count > maxRecipients)
        {
            error = Reply.Fail(ErrorCode.RecipientTooMany, $"At most {maxRecipients} recipients per message.");
            return false;
        }

        if (text.Length > MaxTextLength)
        {
            error = Reply.Fail(ErrorCode.MessageTooLarge);
            return false;
        }

        fields = new ComposeFields(to, cc, bcc, subject, text)
        {
            InReplyTo = inReplyTo.Length == 0 ? null : inReplyTo,
            References = references,
            Attachments = attachments,
        };
        return true;
    }

    /// <summary>Composes <paramref name="fields"/> From the session's account.</summary>
    /// <param name="context">The request.</param>
    /// <param name="fields">What to compose.</param>
    /// <param name="keepBcc">Keep the Bcc field (a draft).</param>
    /// <param name="raw">The message.</param>
    /// <param name="envelope">Its recipients.</param>
    /// <param name="error">The reply when false.</param>
    public static bool TryCompose(CommandContext context, ComposeFields fields, bool keepBcc, out byte[] raw, out List<string> envelope, out Reply error)
    {
        error = default;
        if (!MessageComposer.TryCompose(context.Account.Address, context.Services.Options.EffectiveServerName, fields, keepBcc, out raw, out envelope, out var problem))
        {
            error = Reply.Fail(problem.Code, problem.Message);
            return false;
        }

        return true;
    }

    // attachments: [{name, type, size}], their bytes one after another in the body; the sizes add up to the body.
    private static bool TryAttachments(CommandContext context, out IReadOnlyList<ComposeAttachment> attachments, out Reply error)
    {
        attachments = [];
        error = default;
        var body = context.Body;
        if (!context.Head.TryGetProperty("attachments"u8, out var list) || list.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        const string Expected = "a list of {\"name\", \"type\", \"size\"} objects whose sizes add up to the body's length";
        if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() > MaxAttachments)
        {
            error = Fields.Invalid("attachments", Expected);
            return false;
        }

        var maxMessage = context.Services.Options.Limits.MaxMessageBytes;
        var result = new List<ComposeAttachment>(list.GetArrayLength());
        long offset = 0;
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object
                || !Fields.TryString(item, "name", out var name, out _)
                || !Fields.TryString(item, "type", out var type, out _, required: false)
                || !item.TryGetProperty("size"u8, out var sizeElement)
                || !sizeElement.TryGetInt64(out var size)
                || size < 0)
            {
                error = Fields.Invalid("attachments", Expected);
                return false;
            }

            if (size > maxMessage || offset + size > maxMessage)
            {
                error = Reply.Fail(ErrorCode.MessageTooLarge, $"The attachments add up to more than the {maxMessage:N0} bytes a message may have.");
                return false;
            }

            type = type.Length == 0 ? "application/octet-stream" : type;
            if (!ContentType.TryParse(type, out var parsed) || parsed.MediaType.Length == 0 || parsed.MediaSubtype.Length == 0 || parsed.MediaType.Equals("multipart", StringComparison.OrdinalIgnoreCase))
            {
                error = Reply.Fail(ErrorCode.RequestInvalid, $"Attachment '{Shorten(name)}': '{Shorten(type)}' is not a media type such as application/pdf.");
                return false;
            }

            name = new string(name.Where(c => !char.IsControl(c)).ToArray()).Replace('/', '_').Replace('\\', '_').Trim();
            if (name.Length is 0 or > 255)
            {
                error = Reply.Fail(ErrorCode.RequestInvalid, "An attachment's name must have 1 to 255 characters.");
                return false;
            }

            if (offset + size > body.Length)
            {
                break;
            }

            result.Add(new ComposeAttachment(name, parsed.MimeType, body.Slice((int)offset, (int)size)));
            offset += size;
        }

        if (result.Count != list.GetArrayLength() || offset != body.Length)
        {
            error = Reply.Fail(ErrorCode.RequestInvalid, $"The attachments' sizes add up to {list.EnumerateArray().Sum(a => a.TryGetProperty("size"u8, out var s) && s.TryGetInt64(out var n) ? n : 0):N0} bytes, the body has {body.Length:N0}.");
            return false;
        }

        attachments = result;
        return true;
    }

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
