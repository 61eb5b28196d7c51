using Butterfly.Cli.Commands;

namespace Butterfly.Cli.Migration;

/// <summary>What import and export share: the account named by ADDRESS is the one that logs in.</summary>
internal static class MigrationArgs
{
    /// <summary>The connection options with ADDRESS as the account; --user may only repeat it.</summary>
    /// <exception cref="UsageException">--user names another account.</exception>
    public static ConnectionArgs As(ConnectionArgs connection, string address)
    {
        if (connection.User is { } user && !string.Equals(user.Trim(), address.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            throw new UsageException($"ADDRESS is the account that logs in; --user {user} names another. Only {address} (with its own password) may move its mail.");
        }

        return connection with { User = address.Trim() };
    }

    /// <summary>Whether stderr is a terminal (for a redrawn progress line).</summary>
    public static bool ErrorIsTerminal(CommandContext context) =>
        ReferenceEquals(context.Error, Console.Error) && !Console.IsErrorRedirected;
}
