namespace Butterfly.Cli.Commands;

/// <summary>The TLS options as given (the environment fills in what is missing when connecting).</summary>
/// <param name="Tls">--tls: always TLS.</param>
/// <param name="Plain">--plain: never TLS.</param>
/// <param name="Ca">--ca FILE, or null.</param>
/// <param name="Pins">--pin (repeatable).</param>
/// <param name="ServerName">--tls-name, or null.</param>
internal sealed record TlsArgs(bool Tls, bool Plain, string? Ca, IReadOnlyList<string> Pins, string? ServerName)
{
    /// <summary>No TLS option given.</summary>
    public static TlsArgs None { get; } = new(false, false, null, [], null);
}
