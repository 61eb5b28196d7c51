using System.Text;
using Butterfly.Mime.Mbox;

namespace Butterfly.Mime.Tests;

public class MboxTests
{
    private static readonly string[] Messages =
    [
        "Subject: one\n\nFrom the start of a line\n>From already quoted\n>>From twice\nend\n",
        "Subject: two\r\n\r\nCRLF body\r\n",
        "From: not a separator inside headers is fine\nSubject: three\n\nno final newline",
        "Subject: four\n\n\n\ntrailing blank lines\n\n",
    ];

    private static byte[] WriteAll()
    {
        using var ms = new MemoryStream();
        using (var w = new MboxWriter(ms, leaveOpen: true))
        {
            foreach (var m in Messages)
            {
                w.Write(Encoding.UTF8.GetBytes(m), "sender@example.org", new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero));
            }
        }

        return ms.ToArray();
    }

    private static string Expected(string m) => m.EndsWith('\n') ? m : m + "\n";

    [Fact]
    public void Writer_QuotesFromLines_Mboxrd()
    {
        var text = Encoding.UTF8.GetString(WriteAll());
        Assert.StartsWith("From sender@example.org Tue Jan  2 03:04:05 2024\n", text, StringComparison.Ordinal);
        Assert.Contains("\n>From the start", text, StringComparison.Ordinal);
        Assert.Contains("\n>>From already", text, StringComparison.Ordinal);
        Assert.Contains("\n>>>From twice", text, StringComparison.Ordinal);
        Assert.Contains("\nFrom: not a separator", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Split_RoundTripsWriter()
    {
        var entries = MboxReader.Split(WriteAll()).ToList();
        Assert.Equal(Messages.Select(Expected), entries.Select(e => Encoding.UTF8.GetString(e.Message.Span)));
        Assert.All(entries, e => Assert.Equal("sender@example.org Tue Jan  2 03:04:05 2024", e.FromLine));
        Assert.Equal(0, entries[0].Offset);
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(7, true)]
    [InlineData(4096, true)]
    [InlineData(1, false)]
    [InlineData(4096, false)]
    public void StreamReader_RoundTripsWriter_AnyReadSize(int chunk, bool copy)
    {
        var bytes = WriteAll();
        using var reader = new MboxReader(new ChunkedStream(bytes, chunk), copyMessages: copy);
        var got = new List<MboxEntry>();
        var texts = new List<string>();
        while (reader.TryRead(out var e))
        {
            got.Add(e);
            texts.Add(Encoding.UTF8.GetString(e.Message.Span));
        }

        Assert.Equal(Messages.Select(Expected), texts);
        Assert.Equal(MboxReader.Split(bytes).Select(e => e.Offset), got.Select(e => e.Offset));
    }

    [Fact]
    public void StreamReader_MessagesParse()
    {
        var bytes = WriteAll();
        using var reader = new MboxReader(new MemoryStream(bytes));
        var subjects = new List<string?>();
        while (reader.TryRead(out var e))
        {
            subjects.Add(Msg.Parse(e.Message.ToArray()).Subject);
        }

        Assert.Equal(["one", "two", "three", "four"], subjects);
    }

    [Fact]
    public void StreamReader_MessageOverLimit_Throws()
    {
        var bytes = Encoding.ASCII.GetBytes("From a\n" + new string('x', 5000) + "\nFrom b\nx\n");
        using var reader = new MboxReader(new MemoryStream(bytes), maxMessageBytes: 1000);
        Assert.Throws<InvalidDataException>(() => reader.TryRead(out _));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public void StreamReader_GarbageBeforeFirstMessage_NoFalseSeparator(int chunk)
    {
        var bytes = Encoding.ASCII.GetBytes("junk xFrom not-a-separator\nmore\nFrom real@example.org Mon Jan  1 00:00:00 2024\nSubject: s\n\nbody\n");
        using var reader = new MboxReader(new ChunkedStream(bytes, chunk));
        Assert.True(reader.TryRead(out var e));
        Assert.Equal("real@example.org Mon Jan  1 00:00:00 2024", e.FromLine);
        Assert.Equal("Subject: s\n\nbody\n", Encoding.ASCII.GetString(e.Message.Span));
        Assert.False(reader.TryRead(out _));
    }

    [Fact]
    public void StreamReader_LargeMessageInSmallReads_ScannedOnce()
    {
        var body = string.Concat(Enumerable.Repeat("a line of text that is not a separator\nFrom", 50_000)) + "\n";
        var bytes = WriteOne(body);
        using var reader = new MboxReader(new ChunkedStream(bytes, 4096));
        Assert.True(reader.TryRead(out var e));
        Assert.Equal(body, Encoding.UTF8.GetString(e.Message.Span));
        Assert.False(reader.TryRead(out _));
    }

    private static byte[] WriteOne(string message)
    {
        using var ms = new MemoryStream();
        using (var w = new MboxWriter(ms, leaveOpen: true))
        {
            w.Write(Encoding.UTF8.GetBytes(message), "a@example.org", DateTimeOffset.UnixEpoch);
        }

        return ms.ToArray();
    }

    [Fact]
    public void Split_EmptyAndGarbage_NoMessages()
    {
        Assert.Empty(MboxReader.Split(Array.Empty<byte>()));
        Assert.Empty(MboxReader.Split(Encoding.ASCII.GetBytes("no separator here\n")));
    }

    /// <summary>Returns at most a fixed number of bytes per read.</summary>
    private sealed class ChunkedStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4096)]
    public void Reader_ByteOrderMarkBeforeFirstFromLine_FirstMessageKept(int chunk)
    {
        var bytes = Msg.Data("bom-before-mbox-from-line.mbox");
        var split = MboxReader.Split(bytes).ToList();
        var streamed = new List<MboxEntry>();
        using (var reader = chunk == 0 ? new MboxReader(new MemoryStream(bytes)) : new MboxReader(new ChunkedStream(bytes, chunk)))
        {
            while (reader.TryRead(out var e))
            {
                streamed.Add(e);
            }
        }

        foreach (var entries in new[] { split, streamed })
        {
            Assert.Equal(["ann@example.org Mon Jan  1 08:00:00 2024", "bob@example.org Mon Jan  1 09:00:00 2024"], entries.Select(e => e.FromLine));
            Assert.Equal(3, entries[0].Offset);
            Assert.Equal(["first", "second"], entries.Select(e => Msg.Parse(e.Message.ToArray()).Subject));
        }
    }
}
