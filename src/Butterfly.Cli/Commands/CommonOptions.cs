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

    /// <summary>Adds --server, --user, --password and --password-stdin.</summary>
    public void AddConnection(Command command)
    {
        command.Options.Add(Server);
        command.Options.Add(User);
        command.Options.Add(Password);
        command.Options.Add(PasswordStdin);
    }

    /// <summary>What the connection options say.</summary>
    public ConnectionArgs Connection(ParseResult parse) => new(
        parse.GetValue(Server),
        parse.GetValue(User),
        parse.GetValue(Password),
        parse.GetValue(PasswordStdin));
}
