using System.CommandLine;

namespace Butterfly.Cli.Commands;

/// <summary>
/// The options many commands share, made once per command tree so each command adds the same
/// instance (System.CommandLine lets one option belong to several commands).
/// </summary>
internal sealed class CommonOptions
{
    public Option<bool> Json { get; } = new("--json")
    {
        Description = "print JSON for scripts (errors too, as JSON on stderr)",
    };

    public Option<string?> Server { get; } = new("--server")
    {
        Description = "the server (env BUTTERFLY_SERVER; default " + DefaultServer + ")",
        HelpName = "HOST:PORT",
    };

    public Option<string?> User { get; } = new("--user")
    {
        Description = "the account (env BUTTERFLY_USER)",
        HelpName = "ADDRESS",
    };

    public Option<string?> Password { get; } = new("--password")
    {
        Description = "the password (env BUTTERFLY_PASSWORD; prompts when absent)",
        HelpName = "PASS",
    };

    public Option<bool> PasswordStdin { get; } = new("--password-stdin")
    {
        Description = "read the password from the first line of stdin",
    };

    public Option<bool> Tls { get; } = new("--tls")
    {
        Description = "always speak TLS, even to a loopback server (env BUTTERFLY_TLS=1; default: TLS to every server but 127.0.0.1, ::1 and localhost)",
    };

    public Option<bool> Plain { get; } = new("--plain")
    {
        Description = "never speak TLS, even to a remote server: the password travels in clear (env BUTTERFLY_TLS=0)",
    };

    public Option<string?> Ca { get; } = new("--ca")
    {
        Description = "trust only the CA certificates in this PEM file, for a server with a private CA (env BUTTERFLY_CA; implies TLS)",
        HelpName = "FILE",
    };

    public Option<string[]> Pin { get; } = new("--pin")
    {
        Description = "accept exactly the certificate with this SHA-256 (sha256:HEX) or public key (spki-sha256:HEX|BASE64), for a self-signed server; repeatable (env BUTTERFLY_PIN; implies TLS)",
        HelpName = "PIN",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string?> TlsName { get; } = new("--tls-name")
    {
        Description = "the name the server's certificate must carry, when --server gives an IP address (env BUTTERFLY_TLS_NAME; implies TLS)",
        HelpName = "NAME",
    };

    public Option<string> Folder { get; } = new("--folder")
    {
        Description = "the folder",
        HelpName = "NAME",
        DefaultValueFactory = _ => "Inbox",
        Validators = { Values.NotBlank },
    };

    public Option<string?> Config { get; } = new("--config")
    {
        Description = "the configuration file (default ./butterfly.json when present)",
        HelpName = "PATH",
    };

    public Option<string?> Data { get; } = new("--data")
    {
        Description = "the data folder (overrides the configuration)",
        HelpName = "DIR",
    };

    /// <summary>The server client commands talk to when neither --server nor BUTTERFLY_SERVER says.</summary>
    public const string DefaultServer = "127.0.0.1:7410";

    /// <summary>Adds --server, --user, --password, --password-stdin and the TLS options.</summary>
    public void AddConnection(Command command)
    {
        command.Options.Add(Server);
        command.Options.Add(User);
        command.Options.Add(Password);
        command.Options.Add(PasswordStdin);
        command.Options.Add(Tls);
        command.Options.Add(Plain);
        command.Options.Add(Ca);
        command.Options.Add(Pin);
        command.Options.Add(TlsName);
    }

    /// <summary>What the connection options say.</summary>
    public ConnectionArgs Connection(ParseResult parse) => new(
        parse.GetValue(Server),
        parse.GetValue(User),
        parse.GetValue(Password),
        parse.GetValue(PasswordStdin))
    {
        Tls = new TlsArgs(
            parse.GetValue(Tls),
            parse.GetValue(Plain),
            parse.GetValue(Ca),
            parse.GetValue(Pin) ?? [],
            parse.GetValue(TlsName)),
    };
}
