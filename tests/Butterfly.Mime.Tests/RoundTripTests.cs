using System.Text;

namespace Butterfly.Mime.Tests;

/// <summary>Parse(Compose(x)) == x over many random messages.</summary>
public class RoundTripTests
{
    private static readonly string[] Pieces =
    [
        "a", "Z", "0", " ", "  ", ".", ",", ";", ":", "\"", "\\", "(", ")", "<", ">", "@", "=", "?", "=?", "?=", "_", "-", "--", "é", "ß", "Ω", "Ж", "日本", "語", "😀", "👍🏽", "'", "%", "*",
        "hello", "world", "From ", "=?utf-8?q?x?=",
    ];

    private static string RandomText(Random r, int maxPieces, bool allowLineBreaks)
    {
        var sb = new StringBuilder();
        int n = r.Next(1, maxPieces);
        for (int i = 0; i < n; i++)
        {
            sb.Append(Pieces[r.Next(Pieces.Length)]);
            if (allowLineBreaks && r.Next(8) == 0)
            {
                sb.Append(r.Next(2) == 0 ? "\r\n" : "\n");
            }
        }

        return sb.ToString();
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal);

    [Theory]
    [MemberData(nameof(Seeds))]
    public void RandomMessage_RoundTrips(int seed)
    {
        var r = new Random(seed);
        var b = new MessageBuilder
        {
            From = new MailboxAddress(RandomText(r, 12, false), "from" + seed + "@example.org"),
            Subject = RandomText(r, 60, false),
            Date = new DateTimeOffset(2000 + r.Next(30), 1 + r.Next(12), 1 + r.Next(28), r.Next(24), r.Next(60), r.Next(60), TimeSpan.FromMinutes(r.Next(-12 * 4, 14 * 4) * 15)),
            MessageId = "<m" + seed + "@example.org>",
            TextBody = RandomText(r, 300, true),
            HtmlBody = r.Next(2) == 0 ? null : "<p>" + RandomText(r, 50, true) + "</p>",
        };
        for (int i = r.Next(0, 6); i > 0; i--)
        {
            b.To.Add(new MailboxAddress(r.Next(3) == 0 ? null : RandomText(r, 8, false), "to" + i + "@example.org"));
        }

        for (int i = r.Next(0, 3); i > 0; i--)
        {
            var content = new byte[r.Next(0, 3000)];
            r.NextBytes(content);
            b.Attachments.Add(new Attachment(RandomText(r, 20, false).Trim() + ".bin", r.Next(2) == 0 ? "application/octet-stream" : "text/plain", content));
        }

        var bytes = b.ToBytes();
        var m = Msg.Parse(bytes, new ParserOptions { Strict = true });

        // Composed output is ASCII in its headers, CRLF everywhere, folded at 78.
        var head = Encoding.UTF8.GetString(bytes, 0, m.HeaderLength);
        Assert.True(Ascii.IsValid(head));
        Assert.All(head.Split("\r\n"), line => Assert.True(line.Length <= 78, line));

        Assert.Equal(b.Subject.Trim(), m.Subject);
        Assert.Equal(b.From, Assert.Single(m.From));
        Assert.Equal(b.To, m.To);
        Assert.Equal(b.Date, m.Date);
        Assert.Equal(b.Date!.Value.Offset, m.Date!.Value.Offset);
        Assert.Equal(b.MessageId, m.MessageId);
        Assert.Equal(Normalize(b.TextBody), m.GetText());
        var atts = m.GetAttachments();
        Assert.Equal(b.Attachments.Count, atts.Count);
        for (int i = 0; i < atts.Count; i++)
        {
            Assert.Equal(b.Attachments[i].FileName, atts[i].FileName);
            Assert.Equal(b.Attachments[i].MediaType, atts[i].MediaType);
            Assert.Equal(b.Attachments[i].Content.Length, atts[i].Size);
            Assert.Equal(b.Attachments[i].Content.ToArray(), atts[i].Entity.GetContent());
        }

        if (b.HtmlBody is not null)
        {
            var alternative = b.Attachments.Count > 0 ? m.Body.Children[0] : m.Body;
            Assert.Equal(Normalize(b.HtmlBody), alternative.Children[1].GetText());
        }
    }

    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < 300; i++)
        {
            data.Add(i);
        }

        return data;
    }
}
