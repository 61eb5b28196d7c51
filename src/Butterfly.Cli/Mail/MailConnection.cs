using System.Security.Cryptography;
using Butterfly.Cli.Commands;
using Butterfly.Client;
using Butterfly.Protocol.Tls;

namespace Butterfly.Cli.Mail;

/// <summary>Opens a client connection from the connection options and the environment.</summary>
internal static class MailConnection
{
    /// <summary>The server address from <c>--server</c>, <c>BUTTERFLY_SERVER</c> or the default.</summary>
    /// <exception cref="UsageException">The address cannot be parsed.</exception>
    public static ButterflyEndpoint Endpoint(CommandContext context, ConnectionArgs args) =>
        Endpoint(context, args, ClientOptions(context, args));

    /// <summary>
    /// The connection settings from the TLS options and the environment (protocol/client.md,
    /// "TLS"): TLS to every server but a loopback one, unless --tls or --plain says otherwise;
    /// --ca, --pin and --tls-name imply TLS.
    /// </summary>
    /// <exception cref="UsageException">Contradicting or malformed options.</exception>
    /// <exception cref="CliFailure">The CA file cannot be read.</exception>
    public static ButterflyClientOptions ClientOptions(CommandContext context, ConnectionArgs args)
    {
        var tls = args.Tls;
        if (tls.Tls && tls.Plain)
        {
            throw new UsageException("--tls and --plain contradict each other.");
        }

        var mode = tls.Tls ? ButterflyTlsMode.Required
            : tls.Plain ? ButterflyTlsMode.Off
            : context.Environment("BUTTERFLY_TLS")?.Trim().ToLowerInvariant() switch
            {
                null or "" or "auto" => ButterflyTlsMode.Auto,
                "1" or "true" or "yes" or "on" or "required" => ButterflyTlsMode.Required,
                "0" or "false" or "no" or "off" => ButterflyTlsMode.Off,
                var other => throw new UsageException($"BUTTERFLY_TLS='{other}' is not 1, 0 or auto."),
            };
        var options = new ButterflyClientOptions
        {
            Tls = mode,
            TlsServerName = tls.ServerName ?? NonEmpty(context.Environment("BUTTERFLY_TLS_NAME")),
        };

        var pins = tls.Pins.Count > 0
            ? tls.Pins
            : NonEmpty(context.Environment("BUTTERFLY_PIN"))?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        options.Pins = [.. pins.Select(p => CertificatePin.TryParse(p, out var pin)
            ? pin
            : throw new UsageException($"--pin '{p}' is not a certificate pin (sha256:HEX of the certificate, or spki-sha256:HEX or BASE64 of its public key)."))];

        if ((tls.Ca ?? NonEmpty(context.Environment("BUTTERFLY_CA"))) is { } ca)
        {
            try
            {
                options.TrustedRoots = TlsTrust.LoadRoots(ca);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
            {
                throw new CliFailure("tls.ca", $"cannot read the CA certificates in {ca}: {ex.Message}");
            }
        }

        if (mode == ButterflyTlsMode.Off && (options.TrustedRoots is not null || options.Pins.Count > 0 || options.TlsServerName is not null))
        {
            throw new UsageException("--plain (or BUTTERFLY_TLS=0) turns TLS off, but --ca, --pin or --tls-name asks for it.");
        }

        return options;
    }

    private static ButterflyEndpoint Endpoint(CommandContext context, ConnectionArgs args, ButterflyClientOptions options)
    {
        var text = args.Server ?? context.Environment("BUTTERFLY_SERVER") ?? CommonOptions.DefaultServer;
        if (!ButterflyEndpoint.TryParse(text, options, out var endpoint))
        {
            throw new UsageException($"'{text}' is not a server address (HOST:PORT).");
        }

        return endpoint;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>The account from <c>--user</c> or <c>BUTTERFLY_USER</c>.</summary>
    /// <exception cref="UsageException">Neither is set.</exception>
    public static string User(CommandContext context, ConnectionArgs args) =>
        args.User ?? context.Environment("BUTTERFLY_USER")
        ?? throw new UsageException("no account given: use --user ADDRESS or set BUTTERFLY_USER.");

    /// <summary>Connects without logging in.</summary>
    public static Task<ButterflyClient> ConnectAsync(CommandContext context, ConnectionArgs args)
    {
        var options = ClientOptions(context, args);
        var endpoint = Endpoint(context, args, options);
        return ButterflyClient.ConnectAsync(endpoint.Host, endpoint.Port, options, context.CancellationToken);
    }

    /// <summary>Reads the account and password, connects and logs in.</summary>
    public static async Task<ButterflyClient> LoginAsync(CommandContext context, ConnectionArgs args) =>
        (await LoginWithPasswordAsync(context, args)).Client;

    /// <summary>
    /// Reads the account and password, connects and logs in; the client reconnects, logs in again and
    /// retries a send with the same submission id when the connection is lost (protocol/client.md,
    /// "Submission ids").
    /// </summary>
    public static async Task<ReconnectingClient> LoginReconnectingAsync(CommandContext context, ConnectionArgs args)
    {
        var (client, user, password) = await LoginWithPasswordAsync(context, args);
        return new ReconnectingClient(client, _ => ConnectAsync(context, args), user, password);
    }

    private static async Task<(ButterflyClient Client, string User, string Password)> LoginWithPasswordAsync(CommandContext context, ConnectionArgs args)
    {
        var user = User(context, args);
        var password = await PasswordReader.ReadAsync(context, PasswordSource.Client(args), $"Password for {user}: ");
        var client = await ConnectAsync(context, args);
        try
        {
            await client.LoginAsync(user, password, context.CancellationToken);
            return (client, user, password);
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }
}
