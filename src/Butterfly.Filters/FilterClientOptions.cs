namespace Butterfly.Filters;

/// <summary>How a filter daemon connects and what it registers (protocol/filter.md, "filter.register").</summary>
public sealed class FilterClientOptions
{
    /// <summary>Every action a verdict may take, the default of <see cref="Actions"/>.</summary>
    public static IReadOnlyList<string> AllActions { get; } =
        ["accept", "reject", "tempfail", "discard", "quarantine", "file", "flags", "headers", "replace", "recipients", "inject"];

    /// <summary>The server's filter socket path.</summary>
    public string SocketPath { get; set; } = string.Empty;

    /// <summary>The filter's name, as listed in the server's <c>filters</c>.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The stages to receive: <c>inbound</c>, <c>outbound</c>. Empty for a filter that only handles its claims.</summary>
    public List<string> Stages { get; set; } = ["inbound"];

    /// <summary>Addresses on the server's domains (not accounts) this filter handles.</summary>
    public List<string> Claims { get; set; } = [];

    /// <summary>The actions this filter's verdicts may take; the server treats any other as a filter failure.</summary>
    public List<string> Actions { get; set; } = [.. AllActions];

    /// <summary>Connections to open; the server spreads requests across them. Default 1.</summary>
    public int Connections { get; set; } = 1;

    /// <summary>Requests the server may have in flight on each connection. Default 16.</summary>
    public int MaxInFlight { get; set; } = 16;

    /// <summary>Wait between connection attempts while the socket is absent or the server restarts. Default 500 ms.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The client name sent in hello. Default <c>NAME/1.0</c>.</summary>
    public string? ClientName { get; set; }
}
