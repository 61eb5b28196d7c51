namespace Butterfly.Protocol.Tests.Vectors;

/// <summary>One frame's decoded meaning in a vector.</summary>
/// <param name="Tag">The tag.</param>
/// <param name="Head">The head bytes (the UTF-8 encoding of the vector's head text).</param>
/// <param name="Body">The body bytes.</param>
public sealed record VectorFrame(ulong Tag, byte[] Head, byte[] Body);
