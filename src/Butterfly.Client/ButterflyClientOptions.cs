namespace Butterfly.Client;

/// <summary>Settings for a <see cref="ButterflyClient"/> connection.</summary>
public sealed class ButterflyClientOptions
{
    /// <summary>How long a request waits for its reply before it fails with <see cref="TimeoutException"/>.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the TCP connect and the hello exchange may take.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The largest frame payload accepted from the server; a larger one closes the connection.</summary>
    public int MaxFrameBytes { get; set; } = 64 << 20;

    /// <summary>
    /// The most requests this client keeps in flight on the connection; more wait for a slot
    /// (the wait counts toward their timeout). Null: the server's announced <c>maxInFlight</c>;
    /// 0: no limit.
    /// </summary>
    public int? MaxInFlight { get; set; }

    /// <summary>
    /// Events (frames the server pushes with tag 0) kept while nobody reads them. Past it further events
    /// are dropped and the next read of <see cref="ButterflyClient.ReadEventsAsync"/> yields an
    /// <c>events.overflow</c>: the client must resync, as when the server's own queue overflows.
    /// </summary>
    public int MaxQueuedEvents { get; set; } = 4096;

    /// <summary>The client name sent in the hello request.</summary>
    public string ClientName { get; set; } = "butterfly-client/" + Protocol.ButterflyVersion.Current;
}
