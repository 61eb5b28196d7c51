using System.Buffers;
using System.Buffers.Binary;

namespace Butterfly.Protocol.Framing;

/// <summary>Writes frames in the layout of protocol/framing.md.</summary>
public static class FrameWriter
{
    /// <summary>Writes one whole frame into <paramref name="writer"/>.</summary>
    /// <param name="writer">Where the bytes go (a PipeWriter, an ArrayBufferWriter).</param>
    /// <param name="tag">The tag.</param>
    /// <param name="head">The UTF-8 JSON head.</param>
    /// <param name="body">The binary section; may be empty.</param>
    public static void Write(IBufferWriter<byte> writer, ulong tag, ReadOnlySpan<byte> head, ReadOnlySpan<byte> body)
    {
        var header = writer.GetSpan(FrameLayout.HeaderSize);
        WriteHeader(header, tag, head.Length, body.Length);
        writer.Advance(FrameLayout.HeaderSize);
        writer.Write(head);
        if (!body.IsEmpty)
        {
            writer.Write(body);
        }
    }

    /// <summary>Writes one frame whose body is a sequence (for example a slice of a received buffer).</summary>
    /// <param name="writer">Where the bytes go.</param>
    /// <param name="tag">The tag.</param>
    /// <param name="head">The UTF-8 JSON head.</param>
    /// <param name="body">The binary section.</param>
    public static void Write(IBufferWriter<byte> writer, ulong tag, ReadOnlySpan<byte> head, in ReadOnlySequence<byte> body)
    {
        var header = writer.GetSpan(FrameLayout.HeaderSize);
        WriteHeader(header, tag, head.Length, checked((int)body.Length));
        writer.Advance(FrameLayout.HeaderSize);
        writer.Write(head);
        foreach (var segment in body)
        {
            writer.Write(segment.Span);
        }
    }

    /// <summary>Writes the 16-byte fixed part of a frame.</summary>
    /// <param name="destination">At least <see cref="FrameLayout.HeaderSize"/> bytes.</param>
    /// <param name="tag">The tag.</param>
    /// <param name="headLength">Bytes of JSON head that follow.</param>
    /// <param name="bodyLength">Bytes of body that follow the head.</param>
    /// <exception cref="ArgumentOutOfRangeException">A length is negative.</exception>
    /// <exception cref="OverflowException">The payload would not fit the u32 length field.</exception>
    public static void WriteHeader(Span<byte> destination, ulong tag, int headLength, int bodyLength)
    {
        // Negative lengths would be written as huge unsigned values: a frame no reader could parse.
        ArgumentOutOfRangeException.ThrowIfNegative(headLength);
        ArgumentOutOfRangeException.ThrowIfNegative(bodyLength);
        var payload = checked((uint)(FrameLayout.MinPayloadSize + headLength + bodyLength));
        BinaryPrimitives.WriteUInt32LittleEndian(destination, payload);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[FrameLayout.LengthSize..], tag);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[(FrameLayout.LengthSize + FrameLayout.TagSize)..], (uint)headLength);
    }

    /// <summary>Returns one frame as a new array (for tests, vectors and the client's cold paths).</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="head">The UTF-8 JSON head.</param>
    /// <param name="body">The binary section; may be empty.</param>
    public static byte[] ToArray(ulong tag, ReadOnlySpan<byte> head, ReadOnlySpan<byte> body = default)
    {
        var result = new byte[FrameLayout.FrameSize(head.Length, body.Length)];
        WriteHeader(result, tag, head.Length, body.Length);
        head.CopyTo(result.AsSpan(FrameLayout.HeaderSize));
        body.CopyTo(result.AsSpan(FrameLayout.HeaderSize + head.Length));
        return result;
    }
}
