using System.Buffers;

namespace Butterfly.Protocol.Framing;

/// <summary>
/// One decoded frame. <see cref="Head"/> and <see cref="Body"/> are slices of the buffer the frame
/// was read from and are valid only until that buffer is advanced past them.
/// </summary>
/// <param name="Tag">The tristanable tag.</param>
/// <param name="Head">The UTF-8 JSON head.</param>
/// <param name="Body">The binary section (raw message bytes), possibly empty.</param>
public readonly record struct Frame(ulong Tag, ReadOnlySequence<byte> Head, ReadOnlySequence<byte> Body)
{
    /// <summary>The payload size this frame declares (tag, head length, head, body).</summary>
    public long PayloadLength => FrameLayout.MinPayloadSize + Head.Length + Body.Length;
}
