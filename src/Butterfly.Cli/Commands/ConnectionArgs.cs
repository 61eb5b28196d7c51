namespace Butterfly.Cli.Commands;

/// <summary>The connection options as given (the environment fills in what is missing when connecting).</summary>
/// <param name="Server">--server, or null.</param>
/// <param name="User">--user, or null.</param>
/// <param name="Password">--password, or null.</param>
/// <param name="PasswordStdin">--password-stdin.</param>
internal sealed record ConnectionArgs(string? Server, string? User, string? Password, bool PasswordStdin)
{
    /// <summary>The TLS options: --tls, --plain, --ca, --pin, --tls-name.</summary>
    public TlsArgs Tls { get; init; } = TlsArgs.None;
}
