namespace Butterfly.Protocol.Connections;

/// <summary>A frame waiting for the writer.</summary>
/// <param name="Tag">Its tag.</param>
/// <param name="Head">The UTF-8 JSON head.</param>
/// <param name="Body">The binary section.</param>
/// <param name="Kind">What writing it means.</param>
/// <param name="Lease">Released once the bytes are copied into the pipe, or the frame is dropped (pooled buffers).</param>
internal readonly record struct OutgoingFrame(ulong Tag, ReadOnlyMemory<byte> Head, ReadOnlyMemory<byte> Body, OutgoingKind Kind, IDisposable? Lease)
{
    /// <summary>Bytes it takes on the wire (none for the end marker), as counted in the reply backlog.</summary>
    public long Size => Kind == OutgoingKind.End ? 0 : Framing.FrameLayout.FrameSize(Head.Length, Body.Length);
}

/// <summary>What writing an <see cref="OutgoingFrame"/> means.</summary>
internal enum OutgoingKind
{
    /// <summary>A request of ours or a frame with tag 0.</summary>
    Plain,

    /// <summary>The answer to a request of the other side's: one fewer in flight once written.</summary>
    Answer,

    /// <summary>Not a frame: everything before it has been written, so the output is completed.</summary>
    End,
}
