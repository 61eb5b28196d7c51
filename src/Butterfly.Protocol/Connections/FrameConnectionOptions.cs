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

    /// <summary>
    /// Frames with a payload larger than this are gathered outside the transport's buffer, in
    /// pooled chunks, after their bytes are reserved from <see cref="FrameBudget"/>; smaller ones
    /// are read in place. The transport's own buffer need then hold only about this much.
    /// </summary>
    public int LargeFrameBytes { get; init; } = DefaultLargeFrameBytes;

    /// <summary>
    /// The byte budget large frames are counted against while they are received, shared by every
    /// connection that uses it; null for none. When it is spent, reading waits until bytes come back.
    /// </summary>
    public ByteBudget? FrameBudget { get; init; }

    /// <summary>
    /// Bytes of answers queued or written but not yet taken by the other side (plus room reserved with
    /// <see cref="FrameConnection.ReserveReplyAsync"/>) past which no further request is handed on:
    /// reading stops until the backlog drains. Unbounded by default.
    /// </summary>
    public long MaxReplyBacklogBytes { get; init; } = long.MaxValue;

    /// <summary>
    /// How long one flush may wait for the other side to take bytes before the connection is aborted;
    /// <see cref="Timeout.InfiniteTimeSpan"/> (the default) waits for ever.
    /// </summary>
    public TimeSpan WriteTimeout { get; init; } = Timeout.InfiniteTimeSpan;

    /// <summary>Measures <see cref="WriteTimeout"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The default of <see cref="LargeFrameBytes"/>: 64 KiB.</summary>
    public const int DefaultLargeFrameBytes = 64 * 1024;

    /// <summary>Where the connection goes or comes from, for messages.</summary>
    public string Description { get; init; } = "the other side";

    internal bool TagZeroAccepted => AcceptsTagZero ?? Routing != FrameRouting.Requests;
}
