namespace Butterfly.Protocol.Connections;

/// <summary>Settings of one <see cref="FrameConnection"/>.</summary>
public sealed class FrameConnectionOptions
{
    /// <summary>How received frames are told apart.</summary>
    public FrameRouting Routing { get; init; } = FrameRouting.Replies;

    /// <summary>
    /// The largest payload accepted, checked on the length prefix before anything is buffered
    /// (protocol/framing.md, "Limits"). It can be changed later on the connection.
    /// </summary>
    public int MaxFrameBytes { get; init; } = 1 << 20;

    /// <summary>Requests of the other side's in flight before reading stops until one is answered.</summary>
    public int MaxIncomingInFlight { get; init; } = 256;

    /// <summary>
    /// Whether frames with tag 0 are passed to <see cref="IFrameReceiver.OnTagZero"/>; when false
    /// they are a protocol error (<c>protocol.reserved-tag</c>). Defaults to true except for <see cref="FrameRouting.Requests"/>.
    /// </summary>
    public bool? AcceptsTagZero { get; init; }

    /// <summary>Where the connection goes or comes from, for messages.</summary>
    public string Description { get; init; } = "the other side";

    internal bool TagZeroAccepted => AcceptsTagZero ?? Routing != FrameRouting.Requests;
}
