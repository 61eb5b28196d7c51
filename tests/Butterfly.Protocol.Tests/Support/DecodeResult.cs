using Butterfly.Protocol.Errors;
using Butterfly.Protocol.Framing;

namespace Butterfly.Protocol.Tests.Support;

/// <summary>What reading a buffer frame after frame produced: the frames, and how the last read ended.</summary>
/// <param name="Frames">Every complete frame, in order.</param>
/// <param name="FinalStatus">The status of the read that stopped the loop (Incomplete or Invalid).</param>
/// <param name="Error">The error of that read.</param>
/// <param name="Consumed">Bytes consumed by the complete frames.</param>
internal sealed record DecodeResult(IReadOnlyList<DecodedFrame> Frames, FrameStatus FinalStatus, ErrorCode Error, long Consumed)
{
    public bool Equivalent(DecodeResult other) =>
        FinalStatus == other.FinalStatus && Error == other.Error && Consumed == other.Consumed && Frames.SequenceEqual(other.Frames);

    public override string ToString() =>
        $"{FinalStatus} {Error} consumed={Consumed} frames=[{string.Join("; ", Frames)}]";
}
