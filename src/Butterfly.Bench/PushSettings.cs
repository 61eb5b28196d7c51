namespace Butterfly.Bench;

/// <summary>What a <c>bench push</c> run does: send to an account whose other sessions are subscribed, and time the events.</summary>
public sealed record PushSettings
{
    /// <summary>The server's host.</summary>
    public required string Host { get; init; }

    /// <summary>The server's port.</summary>
    public required int Port { get; init; }

    /// <summary>
    /// Where the recipient's sessions connect, when not to the sender's server: another daemon on the
    /// same database, to time push across daemons. Null: the sender's server.
    /// </summary>
    public BenchServer? WatchServer { get; init; }

    /// <summary>The sending account.</summary>
    public required string User { get; init; }

    /// <summary>Its password.</summary>
    public required string Password { get; init; }

    /// <summary>The recipient, an account on the same server, whose sessions subscribe.</summary>
    public required string To { get; init; }

    /// <summary>The recipient's password.</summary>
    public required string ToPassword { get; init; }

    /// <summary>Messages to send, one at a time.</summary>
    public int Count { get; init; } = 2000;

    /// <summary>Subscribed sessions of the recipient (devices); every one must get every event.</summary>
    public int Watchers { get; init; } = 2;

    /// <summary>Sends before measuring starts (connections, JIT and caches warm).</summary>
    public int Warmup { get; init; } = 100;
}
