using System.Buffers;
using Butterfly.Protocol.Framing;
using Butterfly.Protocol.Tests.Support;
using Xunit;

namespace Butterfly.Protocol.Tests.Vectors;

/// <summary>protocol/vectors/frames.json: every vector decodes as documented, whole and split, and the writer reproduces it.</summary>
public sealed class FrameVectorTests
{
    public static TheoryData<string> AllNames => [.. FrameVectorFile.All.Select(v => v.Name)];

    public static TheoryData<string> CompleteNames =>
        [.. FrameVectorFile.All.Where(v => v.Status == FrameStatus.Complete).Select(v => v.Name)];

    public static TheoryData<string> InvalidNames =>
        [.. FrameVectorFile.All.Where(v => v.Status == FrameStatus.Invalid).Select(v => v.Name)];

    [Theory]
    [InlineData("hello-request-minimal")]
    [InlineData("ping-reply")]
    [InlineData("error-reply")]
    [InlineData("message-fetch-reply-with-body")]
    [InlineData("push-event-tag-0")]
    [InlineData("protocol-error-frame")]
    [InlineData("max-tag")]
    [InlineData("two-frames-back-to-back")]
    [InlineData("too-large")]
    [InlineData("length-eleven")]
    [InlineData("head-length-past-payload")]
    [InlineData("incomplete-body")]
    public void Vectors_RequiredEntry_IsPresent(string name)
    {
        Assert.Single(FrameVectorFile.All, v => v.Name == name);
    }

    [Fact]
    public void Vectors_Names_AreUnique()
    {
        var names = FrameVectorFile.All.Select(v => v.Name).ToArray();
        Assert.Equal(names.Length, names.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Vectors_MaxTagEntry_HasAllOnesTag()
    {
        Assert.Equal(ulong.MaxValue, Assert.Single(FrameVectorFile.Get("max-tag").Frames).Tag);
    }

    [Theory]
    [MemberData(nameof(AllNames))]
    public void TryRead_Vector_DecodesAsDocumented(string name)
    {
        var vector = FrameVectorFile.Get(name);

        var result = FrameDecoder.DecodeAll(vector.Bytes, vector.MaxPayloadBytes);

        AssertMatches(vector, result);
    }

    [Theory]
    [MemberData(nameof(AllNames))]
    public void TryRead_VectorSplitAtEveryOffset_DecodesSame(string name)
    {
        var vector = FrameVectorFile.Get(name);
        for (var offset = 0; offset <= vector.Bytes.Length; offset++)
        {
            var result = FrameDecoder.DecodeAll(Sequences.SplitAt(vector.Bytes, offset), vector.MaxPayloadBytes);
            AssertMatches(vector, result);
        }
    }

    [Theory]
    [MemberData(nameof(AllNames))]
    public void TryRead_VectorOneBytePerSegment_DecodesSame(string name)
    {
        var vector = FrameVectorFile.Get(name);

        var result = FrameDecoder.DecodeAll(Sequences.OneBytePerSegment(vector.Bytes), vector.MaxPayloadBytes);

        AssertMatches(vector, result);
    }

    [Theory]
    [MemberData(nameof(CompleteNames))]
    public void TryRead_CompleteVectorEveryPrefix_ReturnsOnlyWholeFramesThenIncomplete(string name)
    {
        var vector = FrameVectorFile.Get(name);
        for (var length = 0; length < vector.Bytes.Length; length++)
        {
            // The frames that end within the prefix come out; the partial one is left unconsumed.
            var whole = new List<DecodedFrame>();
            var end = 0L;
            foreach (var f in vector.Frames)
            {
                var size = FrameLayout.FrameSize(f.Head.Length, f.Body.Length);
                if (end + size > length)
                {
                    break;
                }

                end += size;
                whole.Add(DecodedFrame.Of(f.Tag, f.Head, f.Body));
            }

            var result = FrameDecoder.DecodeAll(vector.Bytes[..length], vector.MaxPayloadBytes);

            Assert.Equal(whole, result.Frames);
            Assert.Equal(end, result.Consumed);
            Assert.Equal(FrameStatus.Incomplete, result.FinalStatus);
        }
    }

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public void TryRead_InvalidVectorPrefix_ReportsErrorExactlyAtDetectedAfter(string name)
    {
        var vector = FrameVectorFile.Get(name);
        for (var length = 0; length < vector.DetectedAfter; length++)
        {
            var early = FrameDecoder.DecodeAll(vector.Bytes[..length], vector.MaxPayloadBytes);
            Assert.Equal(FrameStatus.Incomplete, early.FinalStatus);
        }

        var detected = FrameDecoder.DecodeAll(vector.Bytes[..vector.DetectedAfter], vector.MaxPayloadBytes);
        Assert.Equal(FrameStatus.Invalid, detected.FinalStatus);
        Assert.Equal(vector.Error, detected.Error);
        Assert.Equal(vector.FramesLength, detected.Consumed);
    }

    [Theory]
    [MemberData(nameof(CompleteNames))]
    public void ToArray_CompleteVector_ReproducesBytes(string name)
    {
        var vector = FrameVectorFile.Get(name);

        var written = vector.Frames.SelectMany(f => FrameWriter.ToArray(f.Tag, f.Head, f.Body)).ToArray();

        Assert.Equal(Hex.Format(vector.Bytes), Hex.Format(written));
    }

    [Theory]
    [MemberData(nameof(CompleteNames))]
    public void Write_CompleteVectorIntoBufferWriter_ReproducesBytes(string name)
    {
        var vector = FrameVectorFile.Get(name);
        var spanWriter = new ArrayBufferWriter<byte>();
        var sequenceWriter = new ArrayBufferWriter<byte>();

        foreach (var f in vector.Frames)
        {
            FrameWriter.Write(spanWriter, f.Tag, f.Head, f.Body);
            FrameWriter.Write(sequenceWriter, f.Tag, f.Head, Sequences.OneBytePerSegment(f.Body));
        }

        Assert.Equal(Hex.Format(vector.Bytes), Hex.Format(spanWriter.WrittenSpan));
        Assert.Equal(Hex.Format(vector.Bytes), Hex.Format(sequenceWriter.WrittenSpan));
    }

    private static void AssertMatches(FrameVector vector, DecodeResult result)
    {
        Assert.Equal(vector.Expected, result.Frames);
        Assert.Equal(vector.FramesLength, result.Consumed);
        switch (vector.Status)
        {
            case FrameStatus.Complete:
                // Every byte belongs to a frame; the loop ends asking for more on an empty buffer.
                Assert.Equal(vector.Bytes.Length, result.Consumed);
                Assert.Equal(FrameStatus.Incomplete, result.FinalStatus);
                break;
            case FrameStatus.Incomplete:
                Assert.True(result.Consumed < vector.Bytes.Length, "an incomplete vector must end in a partial frame");
                Assert.Equal(FrameStatus.Incomplete, result.FinalStatus);
                break;
            default:
                Assert.Equal(FrameStatus.Invalid, result.FinalStatus);
                Assert.Equal(vector.Error, result.Error);
                break;
        }
    }
}
