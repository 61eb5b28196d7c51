using System.Text;
using MimeKit;
using Mk = MimeKit;

namespace Butterfly.Mime.Tests.Comparison;

/// <summary>
/// Random messages built and written by MimeKit, read by Butterfly.Mime: every field and part
/// must come back as it was built. Fixed seeds, so a failure names the seed that reproduces it.
/// </summary>
public class MimeKitWritesButterflyReadsTests
{
    public const int Messages = 400;

    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Messages; i += 20)
        {
            data.Add(i);
        }

        return data;
    }

    /// <summary>Twenty messages per case, so a failing seed is easy to rerun alone.</summary>
    [Theory]
    [MemberData(nameof(Seeds))]
    public void TryParse_RandomMimeKitMessages_FieldsAndPartsAsBuilt(int first)
    {
        for (int seed = first; seed < first + 20; seed++)
        {
            var generator = new RandomMessageGenerator(seed);
            var format = generator.NextFormat();
            var built = generator.NextMessage();
            var bytes = RandomMessageGenerator.ToBytes(built, format);
            var parsed = Msg.Parse(bytes);
            try
            {
                AssertMessage(built, parsed);
                Assert.Equal(Normalize(ExpectedText(built.Body!)), Normalize(TrimFinalLineBreak(parsed.GetText(), built.Body is TextPart)));

                // A nested message's size is its length as written, which the tree as built does not know.
                Assert.Equal(
                    ExpectedAttachments(built.Body!, format.NewLineFormat == NewLineFormat.Unix ? "\n" : "\r\n"),
                    parsed.GetAttachments().Select(a => (a.FileName, a.MediaType, a.MediaType == "message/rfc822" ? -1 : a.Size)));
            }
            catch (Exception ex) when (ex is Xunit.Sdk.XunitException)
            {
                throw new Xunit.Sdk.XunitException("seed " + seed + ":\n" + ex.Message + "\n--- message ---\n" + Encoding.UTF8.GetString(bytes));
            }
        }
    }

    private static void AssertMessage(Mk.MimeMessage built, MimeMessage parsed)
    {
        Assert.Equal(built.Subject, parsed.Subject);
        Assert.Equal(Mailboxes(built.From), parsed.From.Select(m => (m.Name, m.Address)));
        Assert.Equal(Mailboxes(built.To), parsed.To.Select(m => (m.Name, m.Address)));
        Assert.Equal(Mailboxes(built.Cc), parsed.Cc.Select(m => (m.Name, m.Address)));
        Assert.Equal(built.Date, parsed.Date);
        Assert.Equal(built.Date.Offset, parsed.Date!.Value.Offset);
        Assert.Equal("<" + built.MessageId + ">", parsed.MessageId);
        Assert.Equal(built.InReplyTo is null ? null : "<" + built.InReplyTo + ">", parsed.InReplyTo);
        Assert.Equal(built.References.Select(r => "<" + r + ">"), parsed.References);
        AssertEntity(built.Body!, parsed.Body, messageBody: true);
    }

    /// <summary>Groups flattened, as Butterfly.Mime lists them.</summary>
    private static IEnumerable<(string?, string)> Mailboxes(InternetAddressList list) =>
        list.Mailboxes.Select(m => (string.IsNullOrEmpty(m.Name) ? null : m.Name, m.Address));

    /// <summary>Compares a part as built with the part as read.</summary>
    /// <param name="built">The part as built.</param>
    /// <param name="parsed">The part as read.</param>
    /// <param name="messageBody">
    /// Whether the part is a message's body, not a multipart's child: MimeKit ends a message
    /// with a line break, so a leaf body written as text gains one unless it had it.
    /// </param>
    private static void AssertEntity(Mk.MimeEntity built, MimeEntity parsed, bool messageBody = false)
    {
        Assert.Equal(built.ContentType.MimeType, parsed.ContentType.MimeType, ignoreCase: true);
        switch (built)
        {
            case Multipart multipart:
                Assert.Equal(multipart.Count, parsed.Children.Count);
                for (int i = 0; i < multipart.Count; i++)
                {
                    AssertEntity(multipart[i], parsed.Children[i]);
                }

                break;
            case MessagePart part:
                AssertMessage(part.Message!, Assert.IsType<MimeMessage>(parsed.Message));
                break;
            case TextPart text when !text.IsAttachment:
                Assert.Equal(text.ContentType.Charset, parsed.ContentType.Charset, ignoreCase: true);
                Assert.Equal(Normalize(text.Text), Normalize(TrimFinalLineBreak(parsed.GetText(), messageBody)));
                break;
            case MimePart part:
                Assert.Equal(part.FileName, parsed.FileName);
                Assert.Equal(part.ContentDisposition!.Disposition, parsed.ContentDisposition!.Disposition);
                var content = parsed.GetContent();
                if (messageBody && part.ContentTransferEncoding != ContentEncoding.Base64 && content.Length > 0 && content[^1] == (byte)'\n')
                {
                    content = content.AsSpan(0, content.Length - (content.Length > 1 && content[^2] == (byte)'\r' ? 2 : 1)).ToArray();
                }

                Assert.Equal(Content(part), content);
                Assert.Equal(part.ContentId is null ? null : "<" + part.ContentId + ">", parsed.Headers.GetFirst("Content-ID")?.Value);
                break;
        }
    }

    /// <summary>The part's content, transfer encoding removed.</summary>
    internal static byte[] Content(MimePart part)
    {
        using var stream = new MemoryStream();
        part.Content?.DecodeTo(stream);
        return stream.ToArray();
    }

    /// <summary>
    /// Line breaks as LF: MimeKit writes 7bit and 8bit text with the message's line breaks and
    /// a quoted-printable line break as CRLF, while the text was built with LF.
    /// </summary>
    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    private static string TrimFinalLineBreak(string text, bool messageBody) =>
        !messageBody ? text : text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2] : text.EndsWith('\n') ? text[..^1] : text;

    /// <summary>The text <see cref="TextExtractor"/> should find, by its rules, from the tree as built.</summary>
    private static string ExpectedText(Mk.MimeEntity body)
    {
        var sb = new StringBuilder();
        AppendText(body, sb);
        return sb.ToString();
    }

    private static void AppendText(Mk.MimeEntity e, StringBuilder sb)
    {
        switch (e)
        {
            case Multipart { ContentType.MediaSubtype: "alternative" } alternative:
                var best = alternative.FirstOrDefault(c => c.ContentType.IsMimeType("text", "plain"))
                    ?? alternative.FirstOrDefault(c => c.ContentType.IsMimeType("text", "html"))
                    ?? alternative.FirstOrDefault(c => c is Multipart);
                if (best is not null)
                {
                    AppendText(best, sb);
                }

                break;
            case Multipart { ContentType.MediaSubtype: "related" } related:
                var start = related.ContentType.Parameters["start"];
                var type = related.ContentType.Parameters["type"];
                var root = related.FirstOrDefault(c => start is not null && "<" + c.ContentId + ">" == start)
                    ?? related.FirstOrDefault(c => type is not null && c.ContentType.MimeType == type)
                    ?? related[0];
                AppendText(root, sb);
                break;
            case Multipart mixed:
                foreach (var child in mixed)
                {
                    if (child is not Multipart && (child is MessagePart || child.ContentDisposition?.Disposition == Mk.ContentDisposition.Attachment))
                    {
                        continue;
                    }

                    AppendText(child, sb);
                }

                break;
            case MimePart part when part.ContentType.MediaType == "text" && part.ContentType.MediaSubtype is "plain" or "html":
                var content = part is TextPart text ? text.Text : Encoding.ASCII.GetString(Content(part));
                var value = part.ContentType.MediaSubtype == "html" ? Internal.HtmlToText.Convert(content) : content;
                if (value.Length > 0)
                {
                    if (sb.Length > 0 && sb[^1] != '\n')
                    {
                        sb.Append('\n');
                    }

                    sb.Append(value);
                }

                break;
        }
    }

    /// <summary>The attachments in order: non-text leaves, text marked as attachment, and nested messages (as one).</summary>
    private static List<(string?, string, long)> ExpectedAttachments(Mk.MimeEntity body, string newLine)
    {
        var list = new List<(string?, string, long)>();
        void Walk(Mk.MimeEntity e, bool root)
        {
            switch (e)
            {
                case Multipart multipart:
                    foreach (var child in multipart)
                    {
                        Walk(child, false);
                    }

                    break;
                case MessagePart part:
                    list.Add((null, "message/rfc822", -1));
                    break;
                case MimePart part when !(root && part.ContentType.MediaType == "text") && (part.IsAttachment || part.ContentType.MediaType != "text"):
                    // A leaf message body not in base64 gains the message's final line break (see AssertEntity).
                    long size = Content(part).LongLength + (root && part.ContentTransferEncoding != ContentEncoding.Base64 ? newLine.Length : 0);
                    list.Add((part.FileName, part.ContentType.MimeType, size));
                    break;
            }
        }

        Walk(body, true);
        return list;
    }
}
