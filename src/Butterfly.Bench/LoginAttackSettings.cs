using System.Net;

namespace Butterfly.Bench;

/// <summary>
/// What a <c>bench login</c> run does: times a legitimate user's logins while a flood of idle
/// connections from one address and a crowd of password guessers press on the server.
/// </summary>
public sealed record LoginAttackSettings
{
    /// <summary>The server's host name or address.</summary>
    public required string Host { get; init; }

    /// <summary>The server's port.</summary>
    public required int Port { get; init; }

    /// <summary>The legitimate account whose logins are timed.</summary>
    public required string User { get; init; }

    /// <summary>Its password.</summary>
    public required string Password { get; init; }

    /// <summary>Logins to time, one after another, each on a new connection.</summary>
    public int Logins { get; init; } = 50;

    /// <summary>The address the legitimate logins come from; null for the system's choice.</summary>
    public IPAddress? LegitFrom { get; init; }

    /// <summary>Idle connections the flood keeps open (each reopened when the server closes it).</summary>
    public int Flood { get; init; }

    /// <summary>The address the flood comes from.</summary>
    public IPAddress FloodFrom { get; init; } = IPAddress.Parse("127.0.0.2");

    /// <summary>Guessers, each sending wrong passwords one after another on its own connection.</summary>
    public int Guessers { get; init; }

    /// <summary>The account the guessers try; null for <see cref="User"/> itself.</summary>
    public string? GuessUser { get; init; }

    /// <summary>The first address guessers come from; guesser i uses the (i mod <see cref="GuessAddresses"/>)-th after it.</summary>
    public IPAddress GuessFrom { get; init; } = IPAddress.Parse("127.0.0.3");

    /// <summary>How many consecutive addresses, from <see cref="GuessFrom"/>, the guessers spread over.</summary>
    public int GuessAddresses { get; init; } = 1;

    /// <summary>How long the attack runs before the first timed login.</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long one timed login may take, retries on <c>server.busy</c> included, before it counts as failed.</summary>
    public TimeSpan GiveUpAfter { get; init; } = TimeSpan.FromSeconds(60);
}
