namespace Butterfly.Bench;

/// <summary>What a <c>bench relay</c> run does: send through one server to an account on another.</summary>
public sealed record RelaySettings
{
    /// <summary>The sending server's host.</summary>
    public required string Host { get; init; }

    /// <summary>The sending server's port.</summary>
    public required int Port { get; init; }

    /// <summary>The sending account.</summary>
    public required string User { get; init; }

    /// <summary>Its password.</summary>
    public required string Password { get; init; }

    /// <summary>The recipient, an account on the other server.</summary>
    public required string To { get; init; }

    /// <summary>The recipient's server host.</summary>
    public required string ToHost { get; init; }

    /// <summary>The recipient's server port.</summary>
    public required int ToPort { get; init; }

    /// <summary>The recipient's password, to count arrivals in its Inbox.</summary>
    public required string ToPassword { get; init; }

    /// <summary>Messages to send.</summary>
    public int Count { get; init; } = 5000;

    /// <summary>Bytes per message.</summary>
    public int Size { get; init; } = 10240;

    /// <summary>Sending connections, each logged in.</summary>
    public int Clients { get; init; } = 16;

    /// <summary>Sends in flight per connection.</summary>
    public int Pipeline { get; init; } = 4;

    /// <summary>How long to wait for arrivals after the last send was acknowledged.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(600);
}
