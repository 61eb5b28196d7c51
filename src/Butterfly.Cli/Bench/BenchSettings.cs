namespace Butterfly.Cli.Bench;

/// <summary>What a <c>bench</c> run does.</summary>
internal sealed record BenchSettings
{
    public required string Mode { get; init; }

    public required string Host { get; init; }

    public required int Port { get; init; }

    public required string User { get; init; }

    public required string Password { get; init; }

    public int Clients { get; init; } = 32;

    public int Pipeline { get; init; } = 16;

    public int Size { get; init; } = 10240;

    public string? To { get; init; }

    /// <summary>Requests to measure; null to run for <see cref="Duration"/>.</summary>
    public long? Count { get; init; }

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(1);
}
