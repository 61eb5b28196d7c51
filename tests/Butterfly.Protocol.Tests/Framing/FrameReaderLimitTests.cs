using System.Buffers;
using Butterfly.Protocol.Errors;
using Butterfly.Protocol.Framing;
using Butterfly.Protocol.Tests.Support;
using Xunit;

namespace Butterfly.Protocol.Tests.Framing;

/// <summary>
/// Limits at limit-1, limit and limit+1 (framing.md, "Limits"): the declared length is judged
/// from the four length bytes alone, before any body byte is there.
/// </summary>
public sealed class FrameReaderLimitTests
{
    private const int Max = 4096;

    [Theory]
    [InlineData(Max - 1)]
    [InlineData(Max)]
    public void TryRead_DeclaredLengthWithinLimit_OnlyLengthBytes_ReportsIncomplete(int declared)
    {
        var buffer = new ReadOnlySequence<byte>(RawFrames.LengthOnly((uint)declared));

        var status = FrameReader.TryRead(buffer, Max, out _, out var end, out var error);

        Assert.Equal(FrameStatus.Incomplete, status);
        Assert.Equal(ErrorCode.None, error);
        Assert.Equal(buffer.Start, end);
    }

    [Theory]
    [InlineData(Max - 1)]
    [InlineData(Max)]
    public void TryRead_DeclaredLengthWithinLimit_WholeFrame_ReportsComplete(int declared)
    {
        var headLength = 10;
        var body = new byte[declared - FrameLayout.MinPayloadSize - headLength];
        var data = RawFrames.Build((uint)declared, 9, (uint)headLength, [.. new byte[headLength], .. body]);

        var status = FrameReader.TryRead(new ReadOnlySequence<byte>(data), Max, out var frame, out _, out _);

        Assert.Equal(FrameStatus.Complete, status);
        Assert.Equal(declared, frame.PayloadLength);
        Assert.Equal(body.Length, frame.Body.Length);
    }

    [Theory]
    [InlineData(Max + 1)]
    [InlineData(int.MaxValue)]
    [InlineData(uint.MaxValue)]
    public void TryRead_DeclaredLengthOverLimit_ReportsTooLargeAfterFourBytes(uint declared)
    {
        var buffer = new ReadOnlySequence<byte>(RawFrames.LengthOnly(declared));

        var status = FrameReader.TryRead(buffer, Max, out _, out var end, out var error);

        Assert.Equal(FrameStatus.Invalid, status);
        Assert.Equal(ErrorCode.ProtocolFrameTooLarge, error);
        Assert.Equal(buffer.Start, end);
    }

    [Fact]
    public void TryRead_DeclaredLengthOverLimit_ThreeBytes_StillIncomplete()
    {
        var buffer = new ReadOnlySequence<byte>(RawFrames.LengthOnly(Max + 1), 0, 3);

        Assert.Equal(FrameStatus.Incomplete, FrameReader.TryRead(buffer, Max, out _, out _, out _));
    }

    [Theory]
    [InlineData(Max + 1)]
    [InlineData(uint.MaxValue)]
    public void TryRead_DeclaredLengthOverLimit_LengthBytesSplit_ReportsTooLarge(uint declared)
    {
        var bytes = RawFrames.LengthOnly(declared);
        for (var offset = 0; offset <= bytes.Length; offset++)
        {
            var status = FrameReader.TryRead(Sequences.SplitAt(bytes, offset), Max, out _, out _, out var error);
            Assert.Equal(FrameStatus.Invalid, status);
            Assert.Equal(ErrorCode.ProtocolFrameTooLarge, error);
        }
    }

    [Theory]
    [InlineData(0u, true)]
    [InlineData(10u, true)]
    [InlineData(19u, true)]
    [InlineData(20u, true)]
    [InlineData(21u, false)]
    [InlineData(int.MaxValue, false)]
    [InlineData(uint.MaxValue, false)]
    public void TryRead_HeadLengthBoundaries_AcceptedOnlyInsidePayload(uint headLength, bool legal)
    {
        // Payload 32: 12 fixed bytes leave 20 for head and body (framing.md, "Head length").
        var data = RawFrames.Build(32, 1, headLength, new byte[20]);

        var status = FrameReader.TryRead(new ReadOnlySequence<byte>(data), Max, out var frame, out _, out var error);

        if (legal)
        {
            Assert.Equal(FrameStatus.Complete, status);
            Assert.Equal(headLength, (uint)frame.Head.Length);
            Assert.Equal(20 - headLength, (uint)frame.Body.Length);
        }
        else
        {
            Assert.Equal(FrameStatus.Invalid, status);
            Assert.Equal(ErrorCode.ProtocolMalformedFrame, error);
        }
    }

    [Fact]
    public void TryRead_HeadLengthPastPayload_ReportedAfterSixteenBytes()
    {
        // Known as soon as the fixed part is there, before the head or body arrives.
        var data = RawFrames.Build(2000, 1, 1989);

        var before = FrameReader.TryRead(new ReadOnlySequence<byte>(data, 0, 15), Max, out _, out _, out _);
        var status = FrameReader.TryRead(new ReadOnlySequence<byte>(data), Max, out _, out _, out var error);

        Assert.Equal(FrameStatus.Incomplete, before);
        Assert.Equal(FrameStatus.Invalid, status);
        Assert.Equal(ErrorCode.ProtocolMalformedFrame, error);
    }

    [Fact]
    public void TryRead_LimitBelowMinimumPayload_RejectsEveryLength()
    {
        var data = RawFrames.Build(12, 1, 0);

        var status = FrameReader.TryRead(new ReadOnlySequence<byte>(data), 11, out _, out _, out var error);

        Assert.Equal(FrameStatus.Invalid, status);
        Assert.Equal(ErrorCode.ProtocolFrameTooLarge, error);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void TryRead_NegativeLimit_ThrowsArgumentOutOfRange(int max)
    {
        // A negative limit must not become 4 GiB in an unsigned comparison.
        var data = RawFrames.LengthOnly(uint.MaxValue);

        Assert.Throws<ArgumentOutOfRangeException>(() => FrameReader.TryRead(new ReadOnlySequence<byte>(data), max, out _, out _, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => FrameReader.TryRead(Sequences.SplitAt(data, 2), max, out _, out _, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => FrameReader.TryReadHeader(data, max, out _, out _, out _, out _));
    }
}
