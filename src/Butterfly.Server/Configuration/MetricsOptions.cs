namespace Butterfly.Server.Configuration;

/// <summary>The metrics endpoint (<c>metrics</c> in butterfly.json; README.md, "Watching it").</summary>
public sealed class MetricsOptions
{
    /// <summary>The default <see cref="Listen"/>: loopback only.</summary>
    public const string DefaultListen = "127.0.0.1:9410";

    /// <summary>
    /// HOST:PORT serving <c>/metrics</c> (Prometheus text) and <c>/healthz</c> over plain HTTP. Default
    /// <c>127.0.0.1:9410</c> (loopback: the figures are the operator's, not the world's). Empty turns the
    /// endpoint off, and with it the recording of metrics. Port 0 lets the OS pick (the daemon prints it).
    /// </summary>
    public string Listen { get; set; } = DefaultListen;

    /// <summary>Whether the endpoint is on.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Listen);

    /// <summary>Checks the values; returns one line per problem.</summary>
    public IEnumerable<string> Validate()
    {
        if (Enabled && !ButterflyOptions.TryParseEndPoint(Listen, out _))
        {
            yield return $"metrics.listen: '{Listen}' is not HOST:PORT (an IP address and a port, e.g. 127.0.0.1:9410), nor empty (no metrics).";
        }
    }
}
