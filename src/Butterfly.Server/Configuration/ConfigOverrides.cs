namespace Butterfly.Server.Configuration;

/// <summary>Command-line values that take precedence over <c>butterfly.json</c>.</summary>
/// <param name="Listen">HOST:PORT to listen on.</param>
/// <param name="DataDirectory">The data folder.</param>
/// <param name="Domains">The domains served; replaces the file's list when not empty.</param>
public sealed record ConfigOverrides(string? Listen = null, string? DataDirectory = null, IReadOnlyList<string>? Domains = null)
{
    /// <summary>No overrides.</summary>
    public static ConfigOverrides None { get; } = new();
}
