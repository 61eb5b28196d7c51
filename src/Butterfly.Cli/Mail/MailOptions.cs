using Butterfly.Cli.Arguments;

namespace Butterfly.Cli.Mail;

/// <summary>The options every client command shares.</summary>
internal static class MailOptions
{
    public static readonly OptionSpec Server = OptionSpec.Value("server", "HOST:PORT", "the server (env BUTTERFLY_SERVER; default 127.0.0.1:7410)");
    public static readonly OptionSpec User = OptionSpec.Value("user", "ADDRESS", "the account (env BUTTERFLY_USER)");
    public static readonly OptionSpec Password = OptionSpec.Value("password", "PASS", "the password (env BUTTERFLY_PASSWORD; prompts when absent)");
    public static readonly OptionSpec PasswordStdin = OptionSpec.Flag("password-stdin", "read the password from the first line of stdin");
    public static readonly OptionSpec Json = OptionSpec.Flag("json", "print JSON for scripts");
    public static readonly OptionSpec Folder = OptionSpec.Value("folder", "NAME", "the folder (default Inbox)");

    /// <summary>--server, --user, --password, --password-stdin.</summary>
    public static IReadOnlyList<OptionSpec> Connection { get; } = [Server, User, Password, PasswordStdin];

    /// <summary>The connection options followed by <paramref name="more"/>.</summary>
    public static IReadOnlyList<OptionSpec> With(params OptionSpec[] more) => [.. more, .. Connection];
}
