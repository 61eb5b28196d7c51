using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Butterfly.Protocol.Framing;
using Butterfly.Protocol.Tests.Support;
using Xunit;

namespace Butterfly.Protocol.Tests.Framing;

/// <summary>FrameWriter produces the layout of framing.md and agrees with FrameReader.</summary>
public sealed class FrameWriterTests
{
    [Fact]
    public void ToArray_Ping_HasDocumentedLayout()
    {
        var head = Encoding.UTF8.GetBytes("""{"cmd":"ping"}""");

        var bytes = FrameWriter.ToArray(0x0102030405060708, head);

        Assert.Equal(12 + head.Length, (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes));
        Assert.Equal("0807060504030201", Hex.Format(bytes.AsSpan(4, 8)));
        Assert.Equal(head.Length, (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(12)));
        Assert.Equal(head, bytes[16..]);
    }

    [Fact]
    public void Write_SpanAndSequenceBodies_ProduceSameBytes()
    {
        var head = Encoding.UTF8.GetBytes("""{"ok":true}""");
        var body = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();
        var a = new ArrayBufferWriter<byte>();
        var b = new ArrayBufferWriter<byte>();

        FrameWriter.Write(a, 77, head, body);
        FrameWriter.Write(b, 77, head, Sequences.SplitAtMany(body, [1, 100, 299]));

        Assert.Equal(FrameWriter.ToArray(77, head, body), a.WrittenSpan.ToArray());
        Assert.Equal(a.WrittenSpan.ToArray(), b.WrittenSpan.ToArray());
    }

    [Fact]
    public void Write_ThenTryRead_RoundTrips()
    {
        var writer = new ArrayBufferWriter<byte>();
        var head = Encoding.UTF8.GetBytes("""{"cmd":"send","rcpt":["bob@example.org"]}""");
        byte[] body = [0, 1, 2, 255];

        FrameWriter.Write(writer, ulong.MaxValue - 1, head, body);
        var result = FrameDecoder.DecodeAll(writer.WrittenSpan.ToArray(), 1024);

        Assert.Equal(DecodedFrame.Of(ulong.MaxValue - 1, head, body), Assert.Single(result.Frames));
    }

    [Fact]
    public void WriteHeader_EmptyHeadAndBody_WritesMinimumPayload()
    {
        var header = new byte[FrameLayout.HeaderSize];

        FrameWriter.WriteHeader(header, 1, 0, 0);

        Assert.Equal("0c000000" + "0100000000000000" + "00000000", Hex.Format(header));
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(0, -1)]
    [InlineData(int.MinValue, 100)]
    public void WriteHeader_NegativeLength_ThrowsArgumentOutOfRange(int headLength, int bodyLength)
    {
        var header = new byte[FrameLayout.HeaderSize];

        Assert.Throws<ArgumentOutOfRangeException>(() => FrameWriter.WriteHeader(header, 1, headLength, bodyLength));
    }

    [Fact]
    public void WriteHeader_PayloadPastInt32_ThrowsOverflow()
    {
        var header = new byte[FrameLayout.HeaderSize];

        Assert.Throws<OverflowException>(() => FrameWriter.WriteHeader(header, 1, int.MaxValue, 1));
    }

    [Fact]
    public void FrameSize_HeadAndBody_CountsFixedPart()
    {
        Assert.Equal(16 + 3 + 5, FrameLayout.FrameSize(3, 5));
    }
}
