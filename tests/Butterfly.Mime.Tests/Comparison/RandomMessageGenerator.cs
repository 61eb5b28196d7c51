using System.Net;
using System.Text;
using MimeKit;
using Mk = MimeKit;
using MimeKit.Text;

namespace Butterfly.Mime.Tests.Comparison;

/// <summary>
/// Builds random messages with MimeKit: nested multipart/mixed, alternative and related,
/// message/rfc822, text in several charsets and transfer encodings, attachments with RFC 2231
/// or RFC 2047 file names, encoded-word headers, address lists with display names and groups.
/// The same seed gives the same messages.
/// </summary>
internal sealed class RandomMessageGenerator(int seed)
{
    /// <summary>Words by charset: every word of a charset can be written in it.</summary>
    private static readonly (string Charset, string[] Words)[] Scripts =
    [
        ("utf-8", ["hello", "world", "Grüße", "日本語", "😀", "Привет", "café", "naïve", "Ω", "ß", "👍🏽", "ação"]),
        ("iso-8859-1", ["café", "déjà", "vu", "Grüße", "naïve", "señor", "plain"]),
        ("iso-8859-2", ["Łódź", "zażółć", "gęślą", "jaźń", "plain"]),
        ("iso-8859-15", ["€uro", "œuvre", "plain", "déjà"]),
        ("koi8-r", ["Привет", "мир", "съешь", "ещё", "plain"]),
        ("windows-1251", ["Привет", "мир", "Ёлка", "plain"]),
        ("shift_jis", ["日本語", "こんにちは", "テスト", "plain"]),
        ("gb2312", ["中文", "你好", "世界", "plain"]),
        ("big5", ["中文", "你好", "plain"]),
    ];

    /// <summary>ASCII words, with the specials that make quoting and encoding necessary.</summary>
    private static readonly string[] Ascii =
    [
        "alpha", "Beta", "gamma", "a,b", "\"quoted\"", "(paren)", "semi;colon", "at@sign",
        "<angle>", "back\\slash", "dot.", "under_score", "100%", "tab\tin", "From", "re:", "Ok",
    ];

    /// <summary>
    /// Words only for bodies. MimeKit 4.18 writes header text that looks like an encoded word as
    /// it is, so every reader, MimeKit too, decodes it; and next to a word holding "=?" it folds
    /// inside that word or inside the encoded word after it: such text cannot come back as built.
    /// </summary>
    private static readonly string[] BodyOnly = ["=?utf-8?q?not_a_word?=", "=?", "?=", "x=?y"];

    private readonly Random _random = new(seed);
    private bool _international;

    static RandomMessageGenerator() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    private int _ids;

    /// <summary>Options for the next message (call before <see cref="NextMessage"/>): line endings, parameter encoding and whether headers may be raw UTF-8.</summary>
    public FormatOptions NextFormat()
    {
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = _random.Next(4) == 0 ? NewLineFormat.Unix : NewLineFormat.Dos;
        options.ParameterEncodingMethod = _random.Next(3) == 0 ? ParameterEncodingMethod.Rfc2047 : ParameterEncodingMethod.Rfc2231;
        options.International = _international = _random.Next(6) == 0;
        return options;
    }

    /// <summary>A random message, its body nested at most <paramref name="maxDepth"/> levels.</summary>
    public Mk.MimeMessage NextMessage(int maxDepth = 4)
    {
        var message = new Mk.MimeMessage();
        var (charset, encoding) = NextCharset();
        message.Headers.Replace(HeaderId.Subject, encoding, Phrase(charset, 1, 14));
        message.From.Add(NextMailbox());
        message.To.AddRange(NextAddressList());
        if (_random.Next(2) == 0)
        {
            message.Cc.AddRange(NextAddressList());
        }

        // Negative zones in whole hours: MimeKit 4.18 writes -08:15 as "-08-15", which no reader can take back.
        var zone = _random.Next(2) == 0 ? TimeSpan.FromMinutes(_random.Next(0, 14 * 4 + 1) * 15) : TimeSpan.FromHours(-_random.Next(0, 13));
        message.Date = new DateTimeOffset(
            1990 + _random.Next(40), 1 + _random.Next(12), 1 + _random.Next(28), _random.Next(24), _random.Next(60), _random.Next(60), zone);
        message.MessageId = NextId();
        if (_random.Next(3) == 0)
        {
            message.InReplyTo = NextId();
            for (int i = _random.Next(1, 4); i > 0; i--)
            {
                message.References.Add(NextId());
            }
        }

        message.Body = NextEntity(maxDepth);
        return message;
    }

    /// <summary>The message as bytes, as MimeKit writes it.</summary>
    public static byte[] ToBytes(Mk.MimeMessage message, FormatOptions options)
    {
        using var stream = new MemoryStream();
        message.WriteTo(options, stream);
        return stream.ToArray();
    }

    private string NextId() => "m" + seed + "." + _ids++ + "@example.org";

    private (string Charset, Encoding Encoding) NextCharset()
    {
        var charset = Scripts[_random.Next(Scripts.Length)].Charset;
        return (charset, Encoding.GetEncoding(charset));
    }

    /// <summary>Words of <paramref name="charset"/> and ASCII, one space between them.</summary>
    private string Phrase(string charset, int min, int max, bool body = false, bool name = false)
    {
        var words = Scripts.First(s => s.Charset == charset).Words;
        var sb = new StringBuilder();
        for (int i = _random.Next(min, max + 1); i > 0; i--)
        {
            if (sb.Length > 0)
            {
                sb.Append(' ');
            }

            var word = _random.Next(3) != 0 ? words[_random.Next(words.Length)]
                : body && _random.Next(4) == 0 ? BodyOnly[_random.Next(BodyOnly.Length)]
                : Ascii[_random.Next(Ascii.Length)];

            // A tab between the words of a display name that MimeKit leaves unquoted is one space
            // to a reader (RFC 5322 3.2.2), so names get none; subjects keep theirs.
            sb.Append(name ? word.Replace('\t', ' ') : word);
        }

        return sb.ToString();
    }

    private Mk.MailboxAddress NextMailbox()
    {
        var (charset, encoding) = NextCharset();
        var local = _random.Next(8) switch
        {
            0 => "first.last" + _ids++,
            1 => "\"john doe " + _ids++ + "\"",
            2 => "x+tag" + _ids++,
            _ => "user" + _ids++,
        };
        var address = local + "@" + (_random.Next(2) == 0 ? "example.org" : "mail.example.net");
        return new Mk.MailboxAddress(encoding, _random.Next(4) == 0 ? null : Phrase(charset, 1, 4, name: true), address);
    }

    private List<InternetAddress> NextAddressList()
    {
        var list = new List<InternetAddress>();
        for (int i = _random.Next(1, 5); i > 0; i--)
        {
            if (_random.Next(5) == 0)
            {
                var (charset, encoding) = NextCharset();
                var members = new List<InternetAddress>();
                for (int k = _random.Next(0, 3); k > 0; k--)
                {
                    members.Add(NextMailbox());
                }

                list.Add(new GroupAddress(encoding, Phrase(charset, 1, 3, name: true), members));
            }
            else
            {
                list.Add(NextMailbox());
            }
        }

        return list;
    }

    private Mk.MimeEntity NextEntity(int depth)
    {
        int kind = depth <= 0 ? _random.Next(2) : _random.Next(7);
        return kind switch
        {
            0 => NextText(_random.Next(3) == 0 ? "html" : "plain"),
            1 => NextAttachment(),
            2 or 3 => NextMixed(depth),
            4 => NextAlternative(depth),
            5 => NextRelated(),
            _ => new MessagePart { Message = NextMessage(depth - 1) },
        };
    }

    private Multipart NextMixed(int depth)
    {
        var mixed = new Multipart("mixed");
        if (_random.Next(4) == 0)
        {
            mixed.Preamble = "This is a multi-part message in MIME format.";
        }

        for (int i = _random.Next(1, 5); i > 0; i--)
        {
            mixed.Add(NextEntity(depth - 1));
        }

        return mixed;
    }

    private Multipart NextAlternative(int depth)
    {
        var alternative = new Multipart("alternative");
        if (_random.Next(4) != 0)
        {
            alternative.Add(NextText("plain"));
        }

        alternative.Add(depth > 1 && _random.Next(3) == 0 ? NextRelated() : NextText("html"));
        return alternative;
    }

    /// <summary>
    /// An HTML root with images, the root found by <c>start</c> (anywhere), by <c>type</c> (first
    /// of its type) or by position (first), as RFC 2387 and MimeKit find it.
    /// </summary>
    private Multipart NextRelated()
    {
        var related = new Multipart("related");
        var root = NextText("html");
        var images = new List<Mk.MimeEntity>();
        for (int i = _random.Next(1, 4); i > 0; i--)
        {
            var image = NextAttachment("image", "png", Mk.ContentDisposition.Inline);
            image.ContentId = "img" + _ids++ + "@example.org";
            images.Add(image);
        }

        switch (_random.Next(3))
        {
            case 0:
                root.ContentId = "root" + _ids++ + "@example.org";
                related.ContentType.Parameters.Add("type", "text/html");
                related.ContentType.Parameters.Add("start", "<" + root.ContentId + ">");
                images.Insert(_random.Next(images.Count + 1), root);
                if (_random.Next(2) == 0)
                {
                    // A part before the root that would be picked by position or by type.
                    images.Insert(0, NextText(_random.Next(2) == 0 ? "plain" : "html"));
                }

                break;
            case 1:
                related.ContentType.Parameters.Add("type", "text/html");
                images.Insert(_random.Next(images.Count + 1), root);
                images.Insert(0, NextText("plain"));
                break;
            default:
                images.Insert(0, root);
                break;
        }

        foreach (var part in images)
        {
            related.Add(part);
        }

        return related;
    }

    private TextPart NextText(string subtype)
    {
        var (charset, encoding) = NextCharset();
        var lines = new List<string>();
        for (int i = _random.Next(1, 6); i > 0; i--)
        {
            lines.Add(Phrase(charset, 0, 20, body: true));
        }

        var text = string.Join("\n", lines).TrimEnd('\n', ' ');
        if (text.Length == 0)
        {
            text = "x";
        }

        if (subtype == "html")
        {
            text = "<html><body><p>" + WebUtility.HtmlEncode(text).Replace("\n", "<br>\n", StringComparison.Ordinal) + "</p></body></html>";
        }

        var part = new TextPart(subtype == "html" ? TextFormat.Html : TextFormat.Plain);
        part.SetText(encoding, text);
        bool ascii = System.Text.Ascii.IsValid(text);
        part.ContentTransferEncoding = _random.Next(4) switch
        {
            0 => ContentEncoding.Base64,
            1 => ContentEncoding.QuotedPrintable,
            2 => ascii ? ContentEncoding.SevenBit : ContentEncoding.EightBit,
            _ => ContentEncoding.EightBit,
        };
        return part;
    }

    private MimePart NextAttachment() => _random.Next(5) switch
    {
        0 => NextAttachment("image", "png", Mk.ContentDisposition.Attachment),
        1 => NextAttachment("application", "pdf", Mk.ContentDisposition.Attachment),
        2 => NextAttachment("text", "plain", Mk.ContentDisposition.Attachment),
        _ => NextAttachment("application", "octet-stream", Mk.ContentDisposition.Attachment),
    };

    private MimePart NextAttachment(string mediaType, string subtype, string disposition)
    {
        var content = new byte[_random.Next(0, 3000)];
        _random.NextBytes(content);
        if (mediaType == "text")
        {
            for (int i = 0; i < content.Length; i++)
            {
                content[i] = (byte)_random.Next(32, 127);
            }
        }

        var (charset, _) = NextCharset();
        // Long names are split into RFC 2231 continuations. MimeKit 4.18 may split between the two
        // halves of a surrogate pair (writing U+FFFD for each), and in international mode writes a
        // non-ASCII tail unencoded as U+FFFD: no reader can take such a name back. So names have
        // no characters outside the BMP, and are short in international mode.
        var words = _international || _random.Next(2) == 0 ? 3 : 12;
        var name = string.Concat(Phrase(charset, 1, words).Replace('"', '\'').EnumerateRunes().Select(r => r.IsBmp ? r.ToString() : "?")) + "." + subtype;
        if (_international && name.Length > 40)
        {
            name = "long name." + subtype;
        }

        return new MimePart(mediaType, subtype)
        {
            Content = new MimeContent(new MemoryStream(content)),
            ContentDisposition = new Mk.ContentDisposition(disposition),
            ContentTransferEncoding = mediaType == "text" && _random.Next(2) == 0 ? ContentEncoding.QuotedPrintable : ContentEncoding.Base64,
            FileName = name,
        };
    }
}
