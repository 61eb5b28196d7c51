namespace Butterfly.Bench;

/// <summary>What a <c>bench memory</c> run does (issue "Proof under fire", the three memory figures).</summary>
public sealed record MemorySettings
{
    /// <summary>The server's host name or address.</summary>
    public required string Host { get; init; }

    /// <summary>The server's port.</summary>
    public required int Port { get; init; }

    /// <summary>The account the logged-in scenarios use.</summary>
    public required string User { get; init; }

    /// <summary>Its password.</summary>
    public required string Password { get; init; }

    /// <summary>The daemon's process id, whose /proc/PID/status is read.</summary>
    public required int ProcessId { get; init; }

    /// <summary>The scenarios, in order.</summary>
    public IReadOnlyList<MemoryScenario> Scenarios { get; init; } = [MemoryScenario.PreLogin, MemoryScenario.PostLogin, MemoryScenario.Backlog];

    /// <summary>Connections of the two frame scenarios.</summary>
    public int Connections { get; init; } = 200;

    /// <summary>The payload the frames announce: the daemon's <c>limits.maxFrameBytes</c>.</summary>
    public int FrameBytes { get; init; } = 26 << 20;

    /// <summary>Clients of the backlog scenario.</summary>
    public int BacklogClients { get; init; } = 3;

    /// <summary>Size of the message the backlog scenario stores and fetches.</summary>
    public int MessageBytes { get; init; } = 20_000_000;

    /// <summary>Fetches each backlog client sends without reading.</summary>
    public int Requests { get; init; } = 2_000;

    /// <summary>How long each attack is held while memory is sampled.</summary>
    public TimeSpan Hold { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long after the attack ends memory is sampled again.</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>An attack is called off early when the daemon's resident memory passes this (bytes), to spare the machine.</summary>
    public long StopAboveBytes { get; init; } = 8L << 30;
}
