using System.Text;
using Butterfly.Mime.Internal;

namespace Butterfly.Mime;

/// <summary>
/// Finds the readable text of a message for search and previews: text/plain is preferred,
/// text/html is reduced to text, and attachments are listed rather than read.
/// </summary>
public static class TextExtractor
{
    /// <summary>The body text of <paramref name="message"/> (empty when it has none).</summary>
    public static string GetText(MimeMessage message) => GetText(message, int.MaxValue);

    /// <summary>
    /// The body text, at most <paramref name="maxLength"/> characters (for previews and bounded
    /// search indexing); parts after the limit are not decoded.
    /// </summary>
    public static string GetText(MimeMessage message, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        var sb = new StringBuilder();
        Append(message.Body, sb, maxLength);
        return sb.Length > maxLength ? sb.ToString(0, maxLength) : sb.ToString();
    }

    /// <summary>The attachments of <paramref name="message"/>, in order (nested messages count as one attachment).</summary>
    public static IReadOnlyList<AttachmentInfo> GetAttachments(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var list = new List<AttachmentInfo>();
        var stack = new Stack<MimeEntity>();
        stack.Push(message.Body);
        bool first = true;
        while (stack.Count > 0)
        {
            var e = stack.Pop();
            if (e.IsMultipart)
            {
                for (int i = e.Children.Count - 1; i >= 0; i--)
                {
                    stack.Push(e.Children[i]);
                }
            }
            else if (!(first && e.Message is null && e.ContentType.MediaType == "text") && e.IsAttachment)
            {
                list.Add(new AttachmentInfo(e));
            }

            first = false;
        }

        return list;
    }

    private static void Append(MimeEntity e, StringBuilder sb, int maxLength)
    {
        if (sb.Length >= maxLength || !System.Runtime.CompilerServices.RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            return;
        }

        if (e.IsMultipart && e.Children.Count == 0)
        {
            // A multipart without a usable boundary: its body is the only text there is.
            AppendText(sb, Charsets.DecodeUnknown(e.RawBody.Span));
            return;
        }

        if (e.IsMultipart)
        {
            if (e.ContentType.MediaSubtype == "alternative")
            {
                var best = PickAlternative(e);
                if (best is not null)
                {
                    Append(best, sb, maxLength);
                }

                return;
            }

            if (e.ContentType.MediaSubtype == "related")
            {
                // The root holds the text; the other parts are images and the like that it refers to.
                Append(RelatedRoot(e), sb, maxLength);
                return;
            }

            foreach (var child in e.Children)
            {
                // Mixed parts may be attachments.
                if (!child.IsMultipart && (child.Message is not null || (child.ContentDisposition?.IsAttachment ?? false)))
                {
                    continue;
                }

                Append(child, sb, maxLength);
            }

            return;
        }

        if (e.ContentType.MediaType != "text")
        {
            return;
        }

        string text = e.ContentType.MediaSubtype switch
        {
            "plain" => e.GetText(),
            "html" => HtmlToText.Convert(e.GetText()),
            _ => string.Empty,
        };

        AppendText(sb, text);
    }

    private static void AppendText(StringBuilder sb, string text)
    {
        if (text.Length > 0)
        {
            if (sb.Length > 0 && sb[^1] != '\n')
            {
                sb.Append('\n');
            }

            sb.Append(text);
        }
    }

    /// <summary>
    /// The root of a multipart/related (RFC 2387 3.1, 3.2): the part whose Content-ID the
    /// <c>start</c> parameter names, else the first part of the media type the <c>type</c>
    /// parameter names (as MimeKit picks it), else the first part.
    /// </summary>
    private static MimeEntity RelatedRoot(MimeEntity related)
    {
        var children = related.Children;
        if (MessageIds.ParseFirst(related.ContentType.GetParameter("start")) is { } start)
        {
            foreach (var c in children)
            {
                if (string.Equals(MessageIds.ParseFirst(c.Headers.GetFirst("Content-ID")?.Value), start, StringComparison.Ordinal))
                {
                    return c;
                }
            }
        }

        if (related.ContentType.GetParameter("type") is { } type)
        {
            foreach (var c in children)
            {
                if (string.Equals(c.ContentType.MimeType, type.Trim(), StringComparison.OrdinalIgnoreCase))
                {
                    return c;
                }
            }
        }

        return children[0];
    }

    private static MimeEntity? PickAlternative(MimeEntity alternative)
    {
        MimeEntity? html = null;
        MimeEntity? other = null;
        foreach (var c in alternative.Children)
        {
            if (c.ContentType.IsMimeType("text", "plain"))
            {
                return c;
            }

            if (c.ContentType.IsMimeType("text", "html"))
            {
                html ??= c;
            }
            else if (c.IsMultipart)
            {
                other ??= c;
            }
        }

        return html ?? other;
    }
}
