namespace Butterfly.Cli.Commands;

/// <summary>Where a command may take a password from, besides the prompt.</summary>
/// <param name="FromStdin">--password-stdin was given.</param>
/// <param name="Given">The value of --password, for commands that have it.</param>
/// <param name="EnvironmentVariable">The variable to read, for commands that read one.</param>
/// <param name="HasPasswordOption">The command has a --password option (named in the error when none is given).</param>
internal sealed record PasswordSource(bool FromStdin, string? Given = null, string? EnvironmentVariable = null, bool HasPasswordOption = false)
{
    /// <summary>The ways this command takes a password, for the "no password given" message.</summary>
    public string Ways
    {
        get
        {
            var ways = new List<string> { "--password-stdin" };
            if (HasPasswordOption)
            {
                ways.Add("--password PASS");
            }

            if (EnvironmentVariable is not null)
            {
                ways.Add(EnvironmentVariable);
            }

            return string.Join(", ", ways) + " or the prompt (in a terminal)";
        }
    }

    /// <summary>A client command's sources: --password-stdin, --password, BUTTERFLY_PASSWORD.</summary>
    public static PasswordSource Client(ConnectionArgs connection) =>
        new(connection.PasswordStdin, connection.Password, "BUTTERFLY_PASSWORD", HasPasswordOption: true);
}
