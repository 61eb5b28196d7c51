namespace Butterfly.Client;

/// <summary>What the server said about itself in the hello reply (protocol/client.md, "hello").</summary>
/// <param name="Version">The protocol version.</param>
/// <param name="Name">The server software, e.g. <c>butterfly/0.1</c>.</param>
/// <param name="Domains">The domains the server serves.</param>
/// <param name="Capabilities">Capabilities such as <c>send</c>, <c>store</c>, <c>register</c>.</param>
/// <param name="Limits">The server's limits.</param>
public sealed record ServerHello(
    int Version,
    string Name,
    IReadOnlyList<string> Domains,
    IReadOnlyList<string> Capabilities,
    ServerLimits Limits)
{
    /// <summary>True when the server lists <paramref name="capability"/>.</summary>
    /// <param name="capability">A capability name.</param>
    public bool Has(string capability) => Capabilities.Contains(capability, StringComparer.Ordinal);
}
