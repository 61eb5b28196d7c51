namespace Butterfly.Bench;

/// <summary>What a <c>bench ping</c> or <c>bench send</c> run does.</summary>
public sealed record BenchSettings
{
    /// <summary>What each request is.</summary>
    public required BenchMode Mode { get; init; }

    /// <summary>The mode as the command names it: <c>ping</c> or <c>send</c>.</summary>
    public string ModeName => Mode == BenchMode.Ping ? "ping" : "send";

    /// <summary>The server's host name or address.</summary>
    public required string Host { get; init; }

    /// <summary>The server's port.</summary>
    public required int Port { get; init; }

    /// <summary>
    /// More servers of the same installation (daemons sharing one database): connection i goes to
    /// the (i mod n)-th of <see cref="Host"/>:<see cref="Port"/> and these, so the load is spread evenly.
    /// </summary>
    public IReadOnlyList<BenchServer> Spread { get; init; } = [];

    /// <summary>The account every connection logs in as.</summary>
    public required string User { get; init; }

    /// <summary>Its password.</summary>
    public required string Password { get; init; }

    /// <summary>
    /// More accounts with the same <see cref="Password"/>: connection i logs in as the (i mod n)-th of
    /// <see cref="User"/> and these, and (without <see cref="To"/>) sends to itself, so that the load
    /// is not all on one mailbox.
    /// </summary>
    public IReadOnlyList<string> MoreUsers { get; init; } = [];

    /// <summary>Connections, each logged in.</summary>
    public int Clients { get; init; } = 32;

    /// <summary>Requests in flight per connection.</summary>
    public int Pipeline { get; init; } = 16;

    /// <summary>The size of each message for <see cref="BenchMode.Send"/>, in bytes.</summary>
    public int Size { get; init; } = 10240;

    /// <summary>The recipient for <see cref="BenchMode.Send"/>; null for <see cref="User"/> itself.</summary>
    public string? To { get; init; }

    /// <summary>How pings are sent (<see cref="BenchMode.Ping"/> only).</summary>
    public BenchEngine Engine { get; init; } = BenchEngine.Raw;

    /// <summary>Requests to measure; null to run for <see cref="Duration"/>.</summary>
    public long? Count { get; init; }

    /// <summary>How long to measure when <see cref="Count"/> is null.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long to run before measuring.</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The account connection <paramref name="index"/> logs in as (see <see cref="MoreUsers"/>).</summary>
    /// <param name="index">The connection's number, from 0.</param>
    public string UserFor(int index)
    {
        var turn = index % (MoreUsers.Count + 1);
        return turn == 0 ? User : MoreUsers[turn - 1];
    }

    /// <summary>The server connection <paramref name="index"/> goes to (see <see cref="Spread"/>).</summary>
    /// <param name="index">The connection's number, from 0.</param>
    public BenchServer ServerFor(int index)
    {
        var turn = index % (Spread.Count + 1);
        return turn == 0 ? new BenchServer(Host, Port) : Spread[turn - 1];
    }
}
