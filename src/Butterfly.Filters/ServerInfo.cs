namespace Butterfly.Filters;

/// <summary>The server's answer to <c>filter.server</c>.</summary>
/// <param name="Name">The server's name.</param>
/// <param name="Domains">The mail domains it serves.</param>
/// <param name="Version">The server's version.</param>
public sealed record ServerInfo(string Name, IReadOnlyList<string> Domains, string Version);
