using System.Buffers;
using Butterfly.Protocol.Errors;
using Butterfly.Protocol.Framing;
using Xunit;

namespace Butterfly.Protocol.Tests.Support;

/// <summary>Reads every frame from a buffer the way a connection loop does, checking the reader's contract on each call.</summary>
internal static class FrameDecoder
{
    public static DecodeResult DecodeAll(ReadOnlySequence<byte> buffer, int maxPayloadBytes)
    {
        var frames = new List<DecodedFrame>();
        var consumed = 0L;
        while (true)
        {
            var status = FrameReader.TryRead(buffer, maxPayloadBytes, out var frame, out var end, out var error);
            switch (status)
            {
                case FrameStatus.Complete:
                    Assert.Equal(ErrorCode.None, error);
                    var frameLength = buffer.Slice(buffer.Start, end).Length;
                    Assert.Equal(FrameLayout.LengthSize + frame.PayloadLength, frameLength);
                    frames.Add(DecodedFrame.From(frame));
                    consumed += frameLength;
                    buffer = buffer.Slice(end);
                    break;
                case FrameStatus.Incomplete:
                    // The reader's promise: nothing consumed, no error.
                    Assert.Equal(buffer.Start, end);
                    Assert.Equal(ErrorCode.None, error);
                    return new DecodeResult(frames, status, error, consumed);
                default:
                    Assert.Equal(FrameStatus.Invalid, status);
                    Assert.Equal(buffer.Start, end);
                    Assert.True(error.ClosesConnection(), $"{error} should be a protocol error");
                    return new DecodeResult(frames, status, error, consumed);
            }
        }
    }

    public static DecodeResult DecodeAll(byte[] data, int maxPayloadBytes) =>
        DecodeAll(new ReadOnlySequence<byte>(data), maxPayloadBytes);
}
