using System.Buffers;
using Butterfly.Protocol.Framing;

namespace Butterfly.Protocol.Tests.Support;

/// <summary>A frame copied out of the buffer it was read from, so it can be compared after the buffer moves on.</summary>
internal sealed record DecodedFrame(ulong Tag, string HeadHex, string BodyHex)
{
    public static DecodedFrame From(in Frame frame) =>
        new(frame.Tag, Hex.Format(frame.Head.ToArray()), Hex.Format(frame.Body.ToArray()));

    public static DecodedFrame Of(ulong tag, ReadOnlySpan<byte> head, ReadOnlySpan<byte> body) =>
        new(tag, Hex.Format(head), Hex.Format(body));

    public override string ToString() => $"tag={Tag} head={HeadHex} body={BodyHex}";
}
