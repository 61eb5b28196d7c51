namespace Butterfly.Client.Internal;

/// <summary>A request waiting to be written: its tag, JSON head and binary body.</summary>
/// <param name="Tag">The request's tag.</param>
/// <param name="Head">The UTF-8 JSON head.</param>
/// <param name="Body">The binary body, possibly empty.</param>
internal readonly record struct OutgoingFrame(ulong Tag, ReadOnlyMemory<byte> Head, ReadOnlyMemory<byte> Body);
