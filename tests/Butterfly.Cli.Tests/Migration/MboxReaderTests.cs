using System.Text;
using Butterfly.Cli.Migration;
using Xunit;

namespace Butterfly.Cli.Tests.Migration;

/// <summary>Splitting mbox files into exact messages, and writing them back.</summary>
public sealed class MboxReaderTests
{
    // As an mboxrd writer quotes "From the start", ">From once" and ">>From twice".
    private const string Quoted = "From a@example.net Sat Nov 21 12:00:01 2026\n"
        + "Subject: one\n\n>From the start\n>>From once\n>>>From twice\n\n"
        + "From b@example.net Sun Nov 22 08:30:00 2026\n"
        + "Subject: two\n\nbody\n\n";

    [Fact]
    public void Next_Mboxrd_RemovesOneQuoteFromEveryFromLine()
    {
        var messages = Read(Quoted, MboxFormat.Mboxrd);

        Assert.Equal(2, messages.Count);
        Assert.Equal("Subject: one\n\nFrom the start\n>From once\n>>From twice\n", Text(messages[0]));
        Assert.Equal("Subject: two\n\nbody\n", Text(messages[1]));
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 12, 0, 1, TimeSpan.Zero), messages[0].Received);
    }

    [Fact]
    public void Next_Mboxo_UnquotesOnlySingleQuotedFromLines()
    {
        var messages = Read(Quoted, MboxFormat.Mboxo);

        Assert.Equal("Subject: one\n\nFrom the start\n>>From once\n>>>From twice\n", Text(messages[0]));
    }

    [Fact]
    public void Next_FromLineWithoutBlankLineBefore_StaysInTheBody()
    {
        var messages = Read("From a@x Sat Nov 21 12:00:01 2026\nSubject: s\n\nline\nFrom here on, unquoted\n\n", MboxFormat.Mboxrd);

        Assert.Equal("Subject: s\n\nline\nFrom here on, unquoted\n", Text(Assert.Single(messages)));
    }

    [Fact]
    public void Next_OffsetsAreMessageBoundaries_ReadingFromOneResumesThere()
    {
        var bytes = Encoding.ASCII.GetBytes(Quoted);
        var all = Read(Quoted, MboxFormat.Mboxrd);

        using var stream = new MemoryStream(bytes) { Position = all[0].End };
        using var reader = new MboxReader(stream, MboxFormat.Mboxrd, 1 << 20);
        var rest = reader.Next();

        Assert.Equal(0, all[0].Start);
        Assert.Equal(all[1].Start, all[0].End);
        Assert.Equal(bytes.Length, all[1].End);
        Assert.Equal(Text(all[1]), Text(rest!));
        Assert.Null(reader.Next());
    }

    [Fact]
    public void Next_LineLongerThanTheBuffer_KeptWhole()
    {
        var line = new string('x', 200_000);
        var messages = Read($"From a@x Sat Nov 21 12:00:01 2026\nSubject: long\n\n{line}\n\nFrom b@x Sat Nov 21 12:00:01 2026\nSubject: after\n\nok\n", MboxFormat.Mboxrd);

        Assert.Equal($"Subject: long\n\n{line}\n", Text(messages[0]));
        Assert.Equal("Subject: after\n\nok\n", Text(messages[1]));
    }

    [Fact]
    public void Next_MessageOverTheLimit_CountedWithoutItsBytes()
    {
        var messages = Read("From a@x Sat Nov 21 12:00:01 2026\nSubject: big\n\n" + new string('y', 5000) + "\n\nFrom b@x Sat Nov 21 12:00:01 2026\nSubject: small\n\nok\n", MboxFormat.Mboxrd, max: 1000);

        Assert.Null(messages[0].Data);
        Assert.True(messages[0].Size > 1000);
        Assert.Equal("Subject: small\n\nok\n", Text(messages[1]));
    }

    [Fact]
    public void Next_NotAnMbox_Throws()
    {
        Assert.Throws<InvalidDataException>(() => Read("Subject: hello\n\nbody\n", MboxFormat.Mboxrd));
    }

    [Theory]
    [InlineData("Subject: a\r\n\r\nFrom me\r\n>From you\r\n>>From them\r\n")]
    [InlineData("Subject: a\n\nno line end at the end\n")]
    [InlineData("Subject: a\r\n\r\n")]
    [InlineData("Subject: a\n\n\n\nblank lines before the end\n\n")]
    public void Write_ThenRead_GivesTheSameBytes(string text)
    {
        var received = new DateTimeOffset(2026, 11, 1, 7, 5, 9, TimeSpan.Zero);
        using var file = new MemoryStream();
        var writer = new MboxWriter(file);
        writer.Write(Encoding.ASCII.GetBytes(text), received);
        writer.Write(Encoding.ASCII.GetBytes(text), received);

        var messages = Read(Encoding.ASCII.GetString(file.ToArray()), MboxFormat.Mboxrd);

        Assert.Equal(2, messages.Count);
        Assert.All(messages, m => Assert.Equal(text, Text(m)));
        Assert.All(messages, m => Assert.Equal(received, m.Received));
        Assert.StartsWith("From MAILER-DAEMON Sun Nov  1 07:05:09 2026\n", Encoding.ASCII.GetString(file.ToArray()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(64)]
    public void Next_StreamGivingFewBytesAtATime_SameMessagesAndOffsets(int chunk)
    {
        var whole = Read(Quoted, MboxFormat.Mboxrd);

        var trickled = Read(Quoted, MboxFormat.Mboxrd, chunk: chunk);

        Assert.Equal(whole.Select(m => (Text(m), m.Start, m.End)), trickled.Select(m => (Text(m), m.Start, m.End)));
    }

    private static List<MboxMessage> Read(string mbox, MboxFormat format, int max = 1 << 20, int chunk = int.MaxValue)
    {
        using var stream = new TrickleStream(Encoding.ASCII.GetBytes(mbox), chunk);
        using var reader = new MboxReader(stream, format, max);
        var messages = new List<MboxMessage>();
        while (reader.Next() is { } message)
        {
            messages.Add(message);
        }

        return messages;
    }

    private static string Text(MboxMessage message) => Encoding.ASCII.GetString(message.Data!);

    /// <summary>A stream that hands out at most a few bytes per read, as a pipe or a slow disk may.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));
    }
}
