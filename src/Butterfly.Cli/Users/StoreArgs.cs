namespace Butterfly.Cli.Users;

/// <summary>The options that say which data folder a store command works on.</summary>
/// <param name="Config">--config, or null for ./butterfly.json when present.</param>
/// <param name="Data">--data, or null for the configuration's.</param>
/// <param name="Domains">--domain values (replace the configured list when any).</param>
internal sealed record StoreArgs(string? Config, string? Data, IReadOnlyList<string> Domains);
