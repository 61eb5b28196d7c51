using System.Buffers.Binary;
using System.Text;
using Butterfly.Protocol.Framing;

namespace Butterfly.Protocol.Tests.Support;

/// <summary>Builds frame bytes field by field, including ones the writer would never produce.</summary>
internal static class RawFrames
{
    /// <summary>A frame whose declared length and head length are given explicitly; <paramref name="rest"/> follows the 16 fixed bytes.</summary>
    public static byte[] Build(uint declaredLength, ulong tag, uint declaredHeadLength, ReadOnlySpan<byte> rest = default)
    {
        var bytes = new byte[FrameLayout.HeaderSize + rest.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, declaredLength);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(FrameLayout.LengthSize), tag);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(FrameLayout.LengthSize + FrameLayout.TagSize), declaredHeadLength);
        rest.CopyTo(bytes.AsSpan(FrameLayout.HeaderSize));
        return bytes;
    }

    /// <summary>Only the four length bytes.</summary>
    public static byte[] LengthOnly(uint declaredLength)
    {
        var bytes = new byte[FrameLayout.LengthSize];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, declaredLength);
        return bytes;
    }

    /// <summary>A well-formed frame with a UTF-8 head and optional body.</summary>
    public static byte[] Frame(ulong tag, string head, byte[]? body = null) =>
        FrameWriter.ToArray(tag, Encoding.UTF8.GetBytes(head), body);
}
