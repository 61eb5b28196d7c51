using MimeKit;

namespace Butterfly.Server.Mail;

/// <summary>
/// The leaf parts of a message with their ids (protocol/client.md, "message.view"): the MIME path, as IMAP numbers
/// body sections (<c>1</c>, <c>2</c>, <c>1.2</c>); a message that is not multipart has one part, <c>1</c>. An attached
/// message (message/rfc822) is one leaf: it is downloaded whole.
/// </summary>
internal static class MessageParts
{
    // A deeper tree is not walked: MimeKit's parser already limits nesting, and ids stay short.
    private const int MaxDepth = 32;

    /// <summary>Every leaf of <paramref name="message"/> in order, with its id.</summary>
    /// <param name="message">The message.</param>
    public static List<(string Id, MimeEntity Part)> Leaves(MimeMessage message)
    {
        var leaves = new List<(string, MimeEntity)>();
        if (message.Body is Multipart multipart)
        {
            Walk(multipart, string.Empty, 0, leaves);
        }
        else if (message.Body is { } body)
        {
            leaves.Add(("1", body));
        }

        return leaves;
    }

    /// <summary>The part's decoded bytes (an attached message: its raw bytes).</summary>
    /// <param name="part">A leaf.</param>
    public static byte[] Decoded(MimeEntity part)
    {
        using var bytes = new MemoryStream();
        switch (part)
        {
            case MimePart { Content: { } content }:
                content.DecodeTo(bytes);
                break;
            case MessagePart { Message: { } inner }:
                inner.WriteTo(bytes);
                break;
        }

        return bytes.ToArray();
    }

    /// <summary>The name to save the part as: its file name, else one made from its type.</summary>
    /// <param name="part">A leaf.</param>
    /// <param name="id">Its id.</param>
    public static string FileName(MimeEntity part, string id)
    {
        var name = (part as MimePart)?.FileName ?? part.ContentType.Name;
        if (!string.IsNullOrWhiteSpace(name))
        {
            // Only the last path segment, without control characters: a name is shown and saved, never a path.
            name = name.Replace('\\', '/');
            name = new string(name[(name.LastIndexOf('/') + 1)..].Where(c => !char.IsControl(c)).ToArray()).Trim();
            if (name.Length > 0)
            {
                return name.Length <= 255 ? name : name[..255];
            }
        }

        if (part is MessagePart)
        {
            return $"message-{id}.eml";
        }

        var extension = MimeTypes.TryGetExtension(part.ContentType.MimeType, out var known) ? known : ".bin";
        return $"part-{id}{extension}";
    }

    /// <summary>The part's media type, lower-case.</summary>
    /// <param name="part">A leaf.</param>
    public static string MediaType(MimeEntity part) => part.ContentType.MimeType.ToLowerInvariant();

    private static void Walk(Multipart multipart, string path, int depth, List<(string, MimeEntity)> leaves)
    {
        for (var i = 0; i < multipart.Count; i++)
        {
            var id = path.Length == 0 ? (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{path}.{i + 1}";
            if (multipart[i] is Multipart inner)
            {
                if (depth < MaxDepth)
                {
                    Walk(inner, id, depth + 1, leaves);
                }
            }
            else
            {
                leaves.Add((id, multipart[i]));
            }
        }
    }
}
