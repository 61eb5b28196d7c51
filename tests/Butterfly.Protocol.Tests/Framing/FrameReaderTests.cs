using System.Buffers;
using System.Text;
using Butterfly.Protocol.Errors;
using Butterfly.Protocol.Framing;
using Butterfly.Protocol.Tests.Support;
using Xunit;

namespace Butterfly.Protocol.Tests.Framing;

/// <summary>FrameReader on contiguous buffers: parses, reports incomplete, consumes nothing, rejects invalid.</summary>
public sealed class FrameReaderTests
{
    private const int Max = 1024;

    private static readonly byte[] _fetchReply = RawFrames.Frame(
        42, """{"ok":true,"id":3}""", Encoding.ASCII.GetBytes("Subject: hi\r\n\r\nbody\r\n"));

    [Fact]
    public void TryRead_CompleteFrame_ReturnsFrameAndEnd()
    {
        var buffer = new ReadOnlySequence<byte>(_fetchReply);

        var status = FrameReader.TryRead(buffer, Max, out var frame, out var end, out var error);

        Assert.Equal(FrameStatus.Complete, status);
        Assert.Equal(ErrorCode.None, error);
        Assert.Equal(42UL, frame.Tag);
        Assert.Equal("""{"ok":true,"id":3}""", Encoding.UTF8.GetString(frame.Head.ToArray()));
        Assert.Equal("Subject: hi\r\n\r\nbody\r\n", Encoding.ASCII.GetString(frame.Body.ToArray()));
        Assert.Equal(buffer.End, end);
        Assert.Equal(_fetchReply.Length - FrameLayout.LengthSize, frame.PayloadLength);
    }

    [Fact]
    public void TryRead_EveryPrefix_ReportsIncompleteAndConsumesNothing()
    {
        for (var length = 0; length < _fetchReply.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(_fetchReply, 0, length);

            var status = FrameReader.TryRead(buffer, Max, out var frame, out var end, out var error);

            Assert.Equal(FrameStatus.Incomplete, status);
            Assert.Equal(buffer.Start, end);
            Assert.Equal(ErrorCode.None, error);
            Assert.Equal(default, frame);
        }
    }

    [Fact]
    public void TryRead_TrailingBytes_StopsAtFrameEnd()
    {
        var data = _fetchReply.Concat(new byte[] { 1, 2, 3 }).ToArray();
        var buffer = new ReadOnlySequence<byte>(data);

        var status = FrameReader.TryRead(buffer, Max, out _, out var end, out _);

        Assert.Equal(FrameStatus.Complete, status);
        Assert.Equal(_fetchReply.Length, buffer.Slice(buffer.Start, end).Length);
        Assert.Equal(3, buffer.Slice(end).Length);
    }

    [Fact]
    public void TryRead_ManyFramesInOneBuffer_ReturnsEachInOrder()
    {
        var frames = Enumerable.Range(1, 50)
            .Select(i => RawFrames.Frame((ulong)i, $$"""{"cmd":"ping","n":{{i}}}""", new byte[i % 7]))
            .ToArray();
        var data = frames.SelectMany(f => f).ToArray();

        var result = FrameDecoder.DecodeAll(data, Max);

        Assert.Equal(data.Length, result.Consumed);
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (ulong)i), result.Frames.Select(f => f.Tag));
        Assert.Equal(FrameStatus.Incomplete, result.FinalStatus);
    }

    [Fact]
    public void TryRead_ManyFramesInOneBuffer_SecondFrameSlicesItsOwnBytes()
    {
        var first = RawFrames.Frame(1, "{\"a\":1}", [9, 9]);
        var second = RawFrames.Frame(2, "{\"b\":2}", [7]);
        var buffer = new ReadOnlySequence<byte>([.. first, .. second]);

        FrameReader.TryRead(buffer, Max, out _, out var end, out _);
        var status = FrameReader.TryRead(buffer.Slice(end), Max, out var frame, out var end2, out _);

        Assert.Equal(FrameStatus.Complete, status);
        Assert.Equal(2UL, frame.Tag);
        Assert.Equal("{\"b\":2}", Encoding.UTF8.GetString(frame.Head.ToArray()));
        Assert.Equal([7], frame.Body.ToArray());
        Assert.Equal(buffer.End, end2);
    }

    [Fact]
    public void TryRead_EmptyBuffer_ReportsIncomplete()
    {
        var status = FrameReader.TryRead(ReadOnlySequence<byte>.Empty, Max, out _, out var end, out var error);

        Assert.Equal(FrameStatus.Incomplete, status);
        Assert.Equal(ErrorCode.None, error);
        Assert.Equal(ReadOnlySequence<byte>.Empty.Start, end);
    }

    [Fact]
    public void TryRead_TagZero_DecodesLikeAnyTag()
    {
        // The reader is direction-neutral; rejecting tag 0 on requests is the session's job
        // (framing.md, "Tag": protocol.reserved-tag).
        var data = RawFrames.Frame(FrameLayout.PushTag, """{"event":"x"}""");

        var result = FrameDecoder.DecodeAll(data, Max);

        Assert.Equal(0UL, Assert.Single(result.Frames).Tag);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(1u)]
    [InlineData(4u)]
    [InlineData(11u)]
    public void TryRead_LengthBelowMinimum_RejectsMalformedAfterFourBytes(uint declared)
    {
        var buffer = new ReadOnlySequence<byte>(RawFrames.LengthOnly(declared));

        var status = FrameReader.TryRead(buffer, Max, out _, out var end, out var error);

        Assert.Equal(FrameStatus.Invalid, status);
        Assert.Equal(ErrorCode.ProtocolMalformedFrame, error);
        Assert.Equal(buffer.Start, end);
    }

    [Fact]
    public void TryRead_LengthTwelve_IsTheSmallestLegalFrame()
    {
        var data = RawFrames.Build(12, 5, 0);

        var status = FrameReader.TryRead(new ReadOnlySequence<byte>(data), Max, out var frame, out _, out _);

        Assert.Equal(FrameStatus.Complete, status);
        Assert.Equal(5UL, frame.Tag);
        Assert.True(frame.Head.IsEmpty);
        Assert.True(frame.Body.IsEmpty);
    }

    [Fact]
    public void TryReadHeader_PartialHeader_ReportsIncomplete()
    {
        var data = RawFrames.Build(20, 1, 2, new byte[8]);
        for (var length = 0; length < FrameLayout.HeaderSize; length++)
        {
            var status = FrameReader.TryReadHeader(data.AsSpan(0, length), Max, out _, out _, out _, out var error);
            Assert.Equal(FrameStatus.Incomplete, status);
            Assert.Equal(ErrorCode.None, error);
        }
    }

    [Fact]
    public void TryReadHeader_WholeFrame_ReportsFields()
    {
        var status = FrameReader.TryReadHeader(_fetchReply, Max, out var tag, out var payload, out var head, out var error);

        Assert.Equal(FrameStatus.Complete, status);
        Assert.Equal(ErrorCode.None, error);
        Assert.Equal(42UL, tag);
        Assert.Equal(_fetchReply.Length - 4, payload);
        Assert.Equal("""{"ok":true,"id":3}""".Length, head);
    }
}
