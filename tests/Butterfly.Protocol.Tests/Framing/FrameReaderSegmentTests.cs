using System.Buffers;
using System.Text;
using Butterfly.Protocol.Framing;
using Butterfly.Protocol.Tests.Support;
using Xunit;

namespace Butterfly.Protocol.Tests.Framing;

/// <summary>The multi-segment path must agree with the contiguous fast path wherever the segments break.</summary>
public sealed class FrameReaderSegmentTests
{
    private const int Max = 1024;

    private static readonly byte[] _stream =
    [
        .. RawFrames.Frame(7, """{"ok":true,"folder":"Inbox","id":3}""", Encoding.ASCII.GetBytes("From: a@b.c\r\n\r\nhi\r\n")),
        .. RawFrames.Frame(0, """{"event":"message.new"}"""),
        .. RawFrames.Frame(ulong.MaxValue, "", [0xff]),
        .. RawFrames.Build(12, 3, 0),
    ];

    private static readonly DecodeResult _expected = FrameDecoder.DecodeAll(_stream, Max);

    [Fact]
    public void DecodeAll_ContiguousStream_ReturnsFourFrames()
    {
        Assert.Equal([7UL, 0UL, ulong.MaxValue, 3UL], _expected.Frames.Select(f => f.Tag));
        Assert.Equal(_stream.Length, _expected.Consumed);
    }

    [Fact]
    public void TryRead_TwoSegmentsSplitAtEveryOffset_DecodesSame()
    {
        for (var offset = 0; offset <= _stream.Length; offset++)
        {
            var result = FrameDecoder.DecodeAll(Sequences.SplitAt(_stream, offset), Max);
            Assert.True(_expected.Equivalent(result), $"split at {offset}: {result}");
        }
    }

    [Fact]
    public void TryRead_OneBytePerSegment_DecodesSame()
    {
        var result = FrameDecoder.DecodeAll(Sequences.OneBytePerSegment(_stream), Max);

        Assert.True(_expected.Equivalent(result), result.ToString());
    }

    [Fact]
    public void TryRead_ThreeSegmentsSplitAtEveryPairOfOffsets_DecodesSame()
    {
        var frame = RawFrames.Frame(99, """{"cmd":"ping"}""", [1, 2, 3]);
        var expected = FrameDecoder.DecodeAll(frame, Max);
        for (var first = 0; first <= frame.Length; first++)
        {
            for (var second = first; second <= frame.Length; second++)
            {
                var result = FrameDecoder.DecodeAll(Sequences.SplitAtMany(frame, [first, second]), Max);
                Assert.True(expected.Equivalent(result), $"split at {first},{second}: {result}");
            }
        }
    }

    [Fact]
    public void TryRead_EmptySegmentsBetweenBytes_DecodesSame()
    {
        var chunks = new List<ReadOnlyMemory<byte>> { ReadOnlyMemory<byte>.Empty };
        foreach (var b in _stream)
        {
            chunks.Add(new[] { b });
            chunks.Add(ReadOnlyMemory<byte>.Empty);
        }

        var result = FrameDecoder.DecodeAll(Sequences.FromChunks(chunks), Max);

        Assert.True(_expected.Equivalent(result), result.ToString());
    }

    [Fact]
    public void TryRead_EveryPrefixOneBytePerSegment_ConsumesNothingUntilComplete()
    {
        var frame = RawFrames.Frame(5, """{"cmd":"hello","version":1}""", [4, 5]);
        for (var length = 0; length < frame.Length; length++)
        {
            var buffer = Sequences.OneBytePerSegment(frame[..length]);

            var status = FrameReader.TryRead(buffer, Max, out _, out var end, out _);

            Assert.Equal(FrameStatus.Incomplete, status);
            Assert.Equal(buffer.Start, end);
        }
    }

    [Fact]
    public void TryRead_MultiSegmentFrame_EndPositionSlicesRemainder()
    {
        var data = _stream;
        var buffer = Sequences.OneBytePerSegment(data);

        FrameReader.TryRead(buffer, Max, out var first, out var end, out _);
        var rest = buffer.Slice(end);

        Assert.Equal(data.Length - FrameLayout.LengthSize - first.PayloadLength, rest.Length);
        Assert.Equal(data[(int)(FrameLayout.LengthSize + first.PayloadLength)..], rest.ToArray());
    }
}
