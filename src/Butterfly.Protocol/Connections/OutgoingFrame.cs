namespace Butterfly.Protocol.Connections;

/// <summary>A frame waiting for the write loop.</summary>
/// <param name="Tag">Its tag.</param>
/// <param name="Head">The UTF-8 JSON head.</param>
/// <param name="Body">The binary section.</param>
/// <param name="Answers">Whether it answers a request of the other side's (and ends one in flight).</param>
/// <param name="Lease">Released once the bytes are copied into the pipe (pooled buffers).</param>
internal readonly record struct OutgoingFrame(ulong Tag, ReadOnlyMemory<byte> Head, ReadOnlyMemory<byte> Body, bool Answers, IDisposable? Lease);
