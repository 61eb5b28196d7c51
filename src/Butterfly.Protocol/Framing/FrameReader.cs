using System.Buffers;
using System.Buffers.Binary;
using Butterfly.Protocol.Errors;

namespace Butterfly.Protocol.Framing;

/// <summary>
/// Reads frames from a buffer that may hold part of a frame, one frame or many
/// (protocol/framing.md). It never consumes anything until a whole frame is there, and it
/// checks the declared length against the limit as soon as the four length bytes have
/// arrived, before any body byte is waited for or any buffer is allocated.
/// </summary>
public static class FrameReader
{
    /// <summary>
    /// Tries to read one frame from the start of <paramref name="buffer"/>.
    /// </summary>
    /// <param name="buffer">Bytes received so far.</param>
    /// <param name="maxPayloadBytes">The largest payload (tag + head length + head + body) accepted.</param>
    /// <param name="frame">The frame, when the result is <see cref="FrameStatus.Complete"/>.</param>
    /// <param name="end">The position just after the frame, when complete; otherwise the start of the buffer.</param>
    /// <param name="error">Why the bytes are not a frame, when the result is <see cref="FrameStatus.Invalid"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxPayloadBytes"/> is negative.</exception>
    public static FrameStatus TryRead(
        in ReadOnlySequence<byte> buffer,
        int maxPayloadBytes,
        out Frame frame,
        out SequencePosition end,
        out ErrorCode error)
    {
        frame = default;
        end = buffer.Start;
        error = ErrorCode.None;

        if (buffer.IsSingleSegment)
        {
            // Fast path: everything in one span, no sequence walking.
            var span = buffer.FirstSpan;
            var status = TryReadHeader(span, maxPayloadBytes, out var tag, out var payloadLength, out var headLength, out error);
            if (status != FrameStatus.Complete)
            {
                return status;
            }

            var headStart = FrameLayout.HeaderSize;
            var bodyStart = headStart + headLength;
            var frameEnd = FrameLayout.LengthSize + payloadLength;
            frame = new Frame(tag, buffer.Slice(headStart, headLength), buffer.Slice(bodyStart, frameEnd - bodyStart));
            end = buffer.GetPosition(frameEnd);
            return FrameStatus.Complete;
        }

        return TryReadMultiSegment(buffer, maxPayloadBytes, out frame, out end, out error);
    }

    /// <summary>
    /// Decodes the fixed part of a frame from a contiguous span and checks it against the limits.
    /// Returns <see cref="FrameStatus.Complete"/> only when <paramref name="span"/> holds the whole frame.
    /// </summary>
    /// <param name="span">Bytes received so far.</param>
    /// <param name="maxPayloadBytes">The largest payload accepted.</param>
    /// <param name="tag">The tag, once known.</param>
    /// <param name="payloadLength">The declared payload length, once known.</param>
    /// <param name="headLength">The declared head length, once known.</param>
    /// <param name="error">The reason, when invalid.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxPayloadBytes"/> is negative.</exception>
    public static FrameStatus TryReadHeader(
        ReadOnlySpan<byte> span,
        int maxPayloadBytes,
        out ulong tag,
        out int payloadLength,
        out int headLength,
        out ErrorCode error)
    {
        // A negative limit would turn into a huge one in the unsigned comparison below and
        // disable the check: refuse it outright.
        ArgumentOutOfRangeException.ThrowIfNegative(maxPayloadBytes);
        tag = 0;
        payloadLength = 0;
        headLength = 0;
        error = ErrorCode.None;

        if (span.Length < FrameLayout.LengthSize)
        {
            return FrameStatus.Incomplete;
        }

        var declared = BinaryPrimitives.ReadUInt32LittleEndian(span);
        var check = CheckLength(declared, maxPayloadBytes, out error);
        if (check != FrameStatus.Complete)
        {
            return check;
        }

        payloadLength = (int)declared;
        if (span.Length < FrameLayout.HeaderSize)
        {
            return FrameStatus.Incomplete;
        }

        tag = BinaryPrimitives.ReadUInt64LittleEndian(span[FrameLayout.LengthSize..]);
        var declaredHead = BinaryPrimitives.ReadUInt32LittleEndian(span[(FrameLayout.LengthSize + FrameLayout.TagSize)..]);
        if (declaredHead > (uint)(payloadLength - FrameLayout.MinPayloadSize))
        {
            // framing.md, "Head length": the head cannot run past the payload.
            error = ErrorCode.ProtocolMalformedFrame;
            return FrameStatus.Invalid;
        }

        headLength = (int)declaredHead;
        return span.Length - FrameLayout.LengthSize < payloadLength ? FrameStatus.Incomplete : FrameStatus.Complete;
    }

    private static FrameStatus CheckLength(uint declared, int maxPayloadBytes, out ErrorCode error)
    {
        error = ErrorCode.None;
        if (declared < FrameLayout.MinPayloadSize)
        {
            // framing.md, "Length": a payload always holds a tag and a head length.
            error = ErrorCode.ProtocolMalformedFrame;
            return FrameStatus.Invalid;
        }

        if (declared > (uint)maxPayloadBytes)
        {
            // framing.md, "Limits": judged from the length alone, before the body is awaited.
            error = ErrorCode.ProtocolFrameTooLarge;
            return FrameStatus.Invalid;
        }

        return FrameStatus.Complete;
    }

    private static FrameStatus TryReadMultiSegment(
        in ReadOnlySequence<byte> buffer,
        int maxPayloadBytes,
        out Frame frame,
        out SequencePosition end,
        out ErrorCode error)
    {
        frame = default;
        end = buffer.Start;

        // The fixed part is 16 bytes at most: copy it out so the header checks run on a span.
        Span<byte> header = stackalloc byte[FrameLayout.HeaderSize];
        var available = (int)Math.Min(buffer.Length, FrameLayout.HeaderSize);
        buffer.Slice(0, available).CopyTo(header);
        var status = TryReadHeader(header[..available], maxPayloadBytes, out var tag, out var payloadLength, out var headLength, out error);
        if (status == FrameStatus.Invalid)
        {
            return status;
        }

        if (available < FrameLayout.HeaderSize || buffer.Length - FrameLayout.LengthSize < payloadLength)
        {
            error = ErrorCode.None;
            return FrameStatus.Incomplete;
        }

        var frameEnd = FrameLayout.LengthSize + payloadLength;
        var bodyStart = FrameLayout.HeaderSize + headLength;
        frame = new Frame(
            tag,
            buffer.Slice(FrameLayout.HeaderSize, headLength),
            buffer.Slice(bodyStart, frameEnd - bodyStart));
        end = buffer.GetPosition(frameEnd);
        return FrameStatus.Complete;
    }
}
