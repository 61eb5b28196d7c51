namespace Butterfly.Server.Configuration;

/// <summary>The limits section of <c>butterfly.json</c>. Every limit is checked before the work it guards.</summary>
public sealed class LimitOptions
{
    /// <summary>Largest frame payload accepted, checked on the length prefix before anything is buffered. Default 26 MiB.</summary>
    public int MaxFrameBytes { get; set; } = 26 << 20;

    /// <summary>
    /// Largest frame payload accepted before the connection has logged in (login, or peer.auth): a
    /// frame announcing more is refused on its length prefix, before its body is read. Default 64 KiB.
    /// </summary>
    public int MaxFrameBytesBeforeLogin { get; set; } = 64 << 10;

    /// <summary>
    /// Bytes of large frames (over 64 KiB) being received at once, over all connections: past it,
    /// connections that want more wait, unread, until bytes are handed on. Default 64 MiB.
    /// </summary>
    public long InFlightBytes { get; set; } = 64L << 20;

    /// <summary>
    /// Bytes of answers a connection may have waiting for the client to read them (plus room held for
    /// message fetches being answered) before its requests wait, unread. Default (null): twice
    /// <see cref="MaxMessageBytes"/>, plus a head's room.
    /// </summary>
    public long? MaxReplyBacklogBytes { get; set; }

    /// <summary>Seconds a connection may take none of the bytes owed to it before it is closed. Default 30.</summary>
    public double WriteTimeoutSeconds { get; set; } = 30;

    /// <summary><see cref="MaxReplyBacklogBytes"/>, or its default.</summary>
    internal long ReplyBacklogBytes => MaxReplyBacklogBytes ?? 2L * MaxMessageBytes + MaxHeadBytes;

    /// <summary>Largest message accepted by send and store. Default 25 MiB.</summary>
    public int MaxMessageBytes { get; set; } = 25 << 20;

    /// <summary>Largest JSON head. Default 64 KiB.</summary>
    public int MaxHeadBytes { get; set; } = 64 << 10;

    /// <summary>Deepest JSON nesting in a head. Default 16.</summary>
    public int MaxJsonDepth { get; set; } = 16;

    /// <summary>Most recipients of one message. Default 100.</summary>
    public int MaxRecipients { get; set; } = 100;

    /// <summary>Most hops (Received fields, peer relays, filter injections) a message may have made before it is refused as a loop.</summary>
    public int MaxHops { get; set; } = 25;

    /// <summary>Most requests in flight on one connection. Default 256.</summary>
    public int MaxInFlight { get; set; } = 256;

    /// <summary>Most open connections. Default 1024.</summary>
    public int MaxConnections { get; set; } = 1024;

    /// <summary>
    /// Most open connections from one source: an IPv4 address, or an IPv6 /64. More get
    /// <c>server.busy</c>, so one address cannot take every slot. Default 64.
    /// </summary>
    public int MaxConnectionsPerAddress { get; set; } = 64;

    /// <summary>
    /// The share of <see cref="MaxConnections"/> that connections not yet logged in may hold. When it is
    /// reached (or every slot is taken), a new connection closes the oldest idle one not logged in from
    /// the source with the most of them, so a flood from many addresses cannot keep everyone else out.
    /// Default 0.5.
    /// </summary>
    public double MaxUnauthenticatedShare { get; set; } = 0.5;

    /// <summary>Seconds a new connection has to log in. Default 6 (websocket.MQ's figure).</summary>
    public double LoginTimeoutSeconds { get; set; } = 6;

    /// <summary>Seconds a connection may stay silent before it is closed. Default 600.</summary>
    public double IdleTimeoutSeconds { get; set; } = 600;

    /// <summary>MIME parts a message may have. Default 10,000.</summary>
    public int MaxMimeParts { get; set; } = 10_000;

    /// <summary>MIME nesting depth. Default 100.</summary>
    public int MaxMimeDepth { get; set; } = 100;

    /// <summary>Size of a message's header block. Default 1 MiB.</summary>
    public int MaxHeaderBytes { get; set; } = 1 << 20;

    internal IEnumerable<string> Validate()
    {
        if (MaxFrameBytes < 1024)
        {
            yield return "limits.maxFrameBytes must be at least 1024.";
        }

        if (MaxFrameBytesBeforeLogin < 1024 || MaxFrameBytesBeforeLogin > MaxFrameBytes)
        {
            yield return "limits.maxFrameBytesBeforeLogin must be at least 1024 and at most limits.maxFrameBytes.";
        }

        if (InFlightBytes < MaxFrameBytes + 4L)
        {
            yield return "limits.inFlightBytes must hold at least one frame of limits.maxFrameBytes (plus its 4-byte length).";
        }

        if (MaxReplyBacklogBytes is { } backlog && backlog < MaxMessageBytes)
        {
            yield return "limits.maxReplyBacklogBytes must hold at least one message of limits.maxMessageBytes.";
        }

        if (WriteTimeoutSeconds <= 0)
        {
            yield return "limits.writeTimeoutSeconds must be positive.";
        }

        if (MaxMessageBytes < 1 || MaxMessageBytes > MaxFrameBytes - MaxHeadBytes)
        {
            yield return "limits.maxMessageBytes must be positive and leave room for the head inside limits.maxFrameBytes.";
        }

        if (MaxHeadBytes < 256)
        {
            yield return "limits.maxHeadBytes must be at least 256.";
        }

        if (MaxJsonDepth < 2 || MaxJsonDepth > 256)
        {
            yield return "limits.maxJsonDepth must be between 2 and 256.";
        }

        if (MaxRecipients < 1 || MaxInFlight < 1 || MaxConnections < 1 || MaxMimeParts < 1 || MaxMimeDepth < 1 || MaxHeaderBytes < 256)
        {
            yield return "limits: counts must be positive.";
        }

        if (MaxConnectionsPerAddress < 1)
        {
            yield return "limits.maxConnectionsPerAddress must be positive.";
        }

        if (!(MaxUnauthenticatedShare > 0 && MaxUnauthenticatedShare <= 1))
        {
            yield return "limits.maxUnauthenticatedShare must be more than 0 and at most 1.";
        }

        if (LoginTimeoutSeconds <= 0 || IdleTimeoutSeconds <= 0)
        {
            yield return "limits.loginTimeoutSeconds and limits.idleTimeoutSeconds must be positive.";
        }
    }
}
