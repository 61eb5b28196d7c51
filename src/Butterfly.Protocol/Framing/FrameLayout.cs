namespace Butterfly.Protocol.Framing;

/// <summary>
/// The byte layout of one frame (protocol/framing.md):
/// <c>u32le length | u64le tag | u32le head length | head (UTF-8 JSON) | body (binary)</c>.
/// The length counts every byte after itself.
/// </summary>
public static class FrameLayout
{
    /// <summary>Size of the bformat length prefix.</summary>
    public const int LengthSize = 4;

    /// <summary>Size of the tristanable tag that opens every payload.</summary>
    public const int TagSize = 8;

    /// <summary>Size of the head-length field that follows the tag.</summary>
    public const int HeadLengthSize = 4;

    /// <summary>The smallest legal payload: a tag and a head length, with empty head and body.</summary>
    public const int MinPayloadSize = TagSize + HeadLengthSize;

    /// <summary>Bytes before the head: length prefix, tag and head length.</summary>
    public const int HeaderSize = LengthSize + TagSize + HeadLengthSize;

    /// <summary>The tag reserved for frames the server sends on its own (push events, the error frame before a close).</summary>
    public const ulong PushTag = 0;

    /// <summary>Total bytes on the wire for a frame with the given head and body sizes.</summary>
    public static long FrameSize(int headLength, int bodyLength) => (long)HeaderSize + headLength + bodyLength;
}
