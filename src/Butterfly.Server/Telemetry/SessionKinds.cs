namespace Butterfly.Server.Telemetry;

/// <summary>The <c>kind</c> tag of the session instruments, and the recording of a session's life.</summary>
internal static class SessionKinds
{
    /// <summary>A client connection (and a peer's, until it proves its domain).</summary>
    public const string Client = "client";

    /// <summary>A peer server that proved its domain (peer.auth).</summary>
    public const string Peer = "peer";

    /// <summary>A filter daemon on the filter socket.</summary>
    public const string Filter = "filter";

    /// <summary>An operator on the control socket.</summary>
    public const string Control = "control";

    /// <summary>Counts a connection of <paramref name="kind"/> as open.</summary>
    public static void Opened(string kind)
    {
        var tag = new KeyValuePair<string, object?>("kind", kind);
        ButterflyMetrics.SessionsOpened.Add(1, tag);
        ButterflyMetrics.SessionsActive.Add(1, tag);
    }

    /// <summary>Counts a connection of <paramref name="kind"/> as closed.</summary>
    public static void Closed(string kind) => ButterflyMetrics.SessionsActive.Add(-1, new KeyValuePair<string, object?>("kind", kind));

    /// <summary>Moves an open connection from one kind to another (a client connection that proved a peer domain).</summary>
    public static void Became(string from, string to)
    {
        ButterflyMetrics.SessionsActive.Add(-1, new KeyValuePair<string, object?>("kind", from));
        ButterflyMetrics.SessionsActive.Add(1, new KeyValuePair<string, object?>("kind", to));
    }
}
