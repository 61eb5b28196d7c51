using System.Text;

namespace Butterfly.Mime.Tests;

/// <summary>Each limit of <see cref="ParserOptions"/> at limit-1, limit and limit+1.</summary>
public class LimitTests
{
    private static MimeError Parse(string text, ParserOptions options) => MimeMessage.TryParse(Encoding.ASCII.GetBytes(text), options, out _);

    /// <summary>A message whose deepest leaf is <paramref name="depth"/> levels below the top.</summary>
    private static string Nested(int depth)
    {
        var sb = new StringBuilder("Subject: nested\r\n");
        for (int i = 0; i < depth; i++)
        {
            sb.Append($"Content-Type: multipart/mixed; boundary=\"b{i}\"\r\n\r\n--b{i}\r\n");
        }

        sb.Append("Content-Type: text/plain\r\n\r\nleaf\r\n");
        for (int i = depth - 1; i >= 0; i--)
        {
            sb.Append($"--b{i}--\r\n");
        }

        return sb.ToString();
    }

    /// <summary>A multipart with <paramref name="children"/> parts: children + 1 entities.</summary>
    private static string Parts(int children)
    {
        var sb = new StringBuilder("Content-Type: multipart/mixed; boundary=b\r\n\r\n");
        for (int i = 0; i < children; i++)
        {
            sb.Append("--b\r\n\r\nx\r\n");
        }

        return sb.Append("--b--\r\n").ToString();
    }

    [Theory]
    [InlineData(4, MimeError.None)]
    [InlineData(5, MimeError.None)]
    [InlineData(6, MimeError.TooDeep)]
    public void MaxDepth(int depth, MimeError expected)
    {
        Assert.Equal(expected, Parse(Nested(depth), new ParserOptions { MaxDepth = 5 }));
    }

    [Fact]
    public void MaxDepth_CountsMessageRfc822()
    {
        var inner = "Content-Type: message/rfc822\r\n\r\n";
        var text = inner + inner + "Subject: leaf\r\n\r\nbody";
        Assert.Equal(MimeError.None, Parse(text, new ParserOptions { MaxDepth = 2 }));
        Assert.Equal(MimeError.TooDeep, Parse(text, new ParserOptions { MaxDepth = 1 }));
    }

    [Fact]
    public void MaxDepth_Default_Is100()
    {
        Assert.Equal(MimeError.None, Parse(Nested(100), ParserOptions.Default));
        Assert.Equal(MimeError.TooDeep, Parse(Nested(101), ParserOptions.Default));
    }

    [Theory]
    [InlineData(8, MimeError.None)]
    [InlineData(9, MimeError.None)]
    [InlineData(10, MimeError.TooManyParts)]
    public void MaxParts(int children, MimeError expected)
    {
        Assert.Equal(expected, Parse(Parts(children), new ParserOptions { MaxParts = 10 }));
    }

    [Theory]
    [InlineData(99, MimeError.None)]
    [InlineData(100, MimeError.None)]
    [InlineData(101, MimeError.HeaderBlockTooLarge)]
    public void MaxHeaderBlockBytes(int size, MimeError expected)
    {
        // "Subject: " + value + "\r\n" + "\r\n" is size bytes.
        var text = "Subject: " + new string('x', size - 13) + "\r\n\r\nbody";
        Assert.Equal(size, text.IndexOf("body", StringComparison.Ordinal));
        Assert.Equal(expected, Parse(text, new ParserOptions { MaxHeaderBlockBytes = 100 }));
    }

    [Fact]
    public void MaxHeaderBlockBytes_AppliesToParts()
    {
        var text = "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nX-Long: " + new string('x', 200) + "\r\n\r\nbody\r\n--b--\r\n";
        Assert.Equal(MimeError.None, Parse(text, new ParserOptions { MaxHeaderBlockBytes = 212 }));
        Assert.Equal(MimeError.HeaderBlockTooLarge, Parse(text, new ParserOptions { MaxHeaderBlockBytes = 211 }));
    }

    [Theory]
    [InlineData(9, MimeError.None)]
    [InlineData(10, MimeError.None)]
    [InlineData(11, MimeError.TooManyHeaderFields)]
    public void MaxHeaderFields(int fields, MimeError expected)
    {
        var text = string.Concat(Enumerable.Range(0, fields).Select(i => $"X-{i}: v\r\n")) + "\r\nbody";
        Assert.Equal(expected, Parse(text, new ParserOptions { MaxHeaderFields = 10 }));
    }

    [Theory]
    [InlineData(49, MimeError.None)]
    [InlineData(50, MimeError.None)]
    [InlineData(51, MimeError.LineTooLong)]
    public void MaxLineLength(int length, MimeError expected)
    {
        var line = "X-A: " + new string('x', length - 5);
        Assert.Equal(expected, Parse(line + "\r\n\r\nbody", new ParserOptions { MaxLineLength = 50 }));
        Assert.Equal(expected, Parse(line + "\n\nbody", new ParserOptions { MaxLineLength = 50 }));
    }

    [Fact]
    public void MaxLineLength_FoldedLinesCountedOneByOne()
    {
        var text = "X-A: " + new string('x', 40) + "\r\n " + new string('y', 45) + "\r\n\r\n";
        Assert.Equal(MimeError.None, Parse(text, new ParserOptions { MaxLineLength = 50 }));
    }

    [Theory]
    [InlineData(4, MimeError.None)]
    [InlineData(5, MimeError.None)]
    [InlineData(6, MimeError.TooManyParameters)]
    public void MaxParameters(int count, MimeError expected)
    {
        var text = "Content-Type: text/plain" + string.Concat(Enumerable.Range(0, count).Select(i => $"; p{i}=v")) + "\r\n\r\nbody";
        Assert.Equal(expected, Parse(text, new ParserOptions { MaxParameters = 5 }));
    }

    [Fact]
    public void MaxParameters_ContentDispositionTruncatedNotRejected()
    {
        var text = "Content-Disposition: attachment" + string.Concat(Enumerable.Range(0, 8).Select(i => $"; p{i}=v")) + "; filename=a.txt\r\n\r\nbody";
        var m = Msg.Parse(text, new ParserOptions { MaxParameters = 5 });
        Assert.Equal(5, m.Body.ContentDisposition!.Parameters.Count);
    }

    [Fact]
    public void Defaults_AreDocumentedValues()
    {
        var o = ParserOptions.Default;
        Assert.Equal(100, o.MaxDepth);
        Assert.Equal(10_000, o.MaxParts);
        Assert.Equal(1 << 20, o.MaxHeaderBlockBytes);
        Assert.Equal(1_000, o.MaxHeaderFields);
        Assert.Equal(1 << 20, o.MaxLineLength);
        Assert.Equal(100, o.MaxParameters);
        Assert.False(o.Strict);
    }

    [Fact]
    public void Describe_EveryErrorHasItsOwnText()
    {
        var texts = Enum.GetValues<MimeError>().Select(e => e.Describe()).ToList();
        Assert.Equal(texts.Count, texts.Distinct().Count());
        Assert.DoesNotContain(texts, t => t.StartsWith("unknown", StringComparison.Ordinal));
    }

    [Fact]
    public void HugeHeaderLine_RejectedBeforeMemoryIsSpent()
    {
        var data = new byte[8 << 20];
        Array.Fill(data, (byte)'x');
        "X-Big: "u8.CopyTo(data);
        MimeMessage.TryParse(data.AsMemory(0, 100), ParserOptions.Default, out _); // JIT and static set-up
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(MimeError.LineTooLong, MimeMessage.TryParse(data, ParserOptions.Default, out _));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16 * 1024);
    }

    [Fact]
    public void MillionHeaderFields_StopAtTheLimit()
    {
        var data = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("X: y\n", 1_000_000)) + "\nbody");
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(MimeError.TooManyHeaderFields, MimeMessage.TryParse(data, ParserOptions.Default, out _));

        // Only the fields up to the limit were kept: far less than one object per field of the input.
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1_000 * 200);
    }
}
