using Butterfly.Protocol.Errors;
using Butterfly.Protocol.Framing;
using Butterfly.Protocol.Tests.Support;

namespace Butterfly.Protocol.Tests.Vectors;

/// <summary>One entry of protocol/vectors/frames.json.</summary>
/// <param name="Name">The vector's name.</param>
/// <param name="Bytes">The bytes on the wire.</param>
/// <param name="MaxPayloadBytes">The limit the vector is read with.</param>
/// <param name="Status">Complete (exactly the frames), Incomplete (frames then a partial frame) or Invalid.</param>
/// <param name="Frames">The frames that decode before the status applies.</param>
/// <param name="Error">The error, for invalid vectors.</param>
/// <param name="DetectedAfter">For invalid vectors, how many bytes the reader needs to see the error.</param>
public sealed record FrameVector(
    string Name,
    byte[] Bytes,
    int MaxPayloadBytes,
    FrameStatus Status,
    IReadOnlyList<VectorFrame> Frames,
    ErrorCode Error,
    int DetectedAfter)
{
    /// <summary>Bytes taken by <see cref="Frames"/>.</summary>
    public long FramesLength => Frames.Sum(f => FrameLayout.FrameSize(f.Head.Length, f.Body.Length));

    internal IReadOnlyList<DecodedFrame> Expected => Frames.Select(f => DecodedFrame.Of(f.Tag, f.Head, f.Body)).ToArray();

    // xunit shows this in the test name.
    public override string ToString() => Name;
}
