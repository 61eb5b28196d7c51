using System.Net.Sockets;
using Butterfly.Cli.Arguments;
using Butterfly.Client;
using Butterfly.Server.Configuration;

namespace Butterfly.Cli.Commands;

/// <summary>Finds the command named on the command line, runs it, and turns failures into messages and exit codes.</summary>
internal static class CliApp
{
    public const int ExitOk = 0;
    public const int ExitFailure = 1;
    public const int ExitUsage = 2;

    /// <summary>Every command, in the order <c>butterfly --help</c> lists them.</summary>
    public static IReadOnlyList<CommandDefinition> Commands { get; } = CommandCatalog.Build();

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CommandContext context)
    {
        if (args.Count == 0)
        {
            await context.Error.WriteAsync(OverviewHelp());
            return ExitUsage;
        }

        if (args[0] is "--help" or "-h" or "help")
        {
            await context.Out.WriteAsync(OverviewHelp());
            return ExitOk;
        }

        if (args[0] == "--version")
        {
            await context.Out.WriteLineAsync("butterfly " + Version);
            return ExitOk;
        }

        var command = Find(args, out var consumed);
        if (command is null)
        {
            return await UnknownCommandAsync(args, context);
        }

        var rest = args.Skip(consumed).ToArray();
        if (ArgumentParser.WantsHelp(rest))
        {
            await context.Out.WriteAsync(command.Help());
            return ExitOk;
        }

        try
        {
            var parsed = ArgumentParser.Parse(rest, command.Options);
            if (parsed.Positionals.Count < command.MinPositionals || parsed.Positionals.Count > command.MaxPositionals)
            {
                throw new UsageException(parsed.Positionals.Count < command.MinPositionals
                    ? "missing arguments."
                    : $"unexpected argument '{parsed.Positionals[command.MaxPositionals]}'.");
            }

            return await command.RunAsync(context, parsed);
        }
        catch (UsageException ex)
        {
            await context.Error.WriteLineAsync($"error: usage: {ex.Message}");
            await context.Error.WriteLineAsync($"usage: butterfly {command.Name} {command.Usage}  (see butterfly {command.Name} --help)");
            return ExitUsage;
        }
        catch (ButterflyException ex)
        {
            await context.Error.WriteLineAsync($"error: {ex.Code}: {ex.Message}");
            return ExitFailure;
        }
        catch (ButterflyConnectionException ex)
        {
            await context.Error.WriteLineAsync($"error: {ex.Code ?? "connection"}: {ex.ServerMessage ?? ex.Message}");
            return ExitFailure;
        }
        catch (CliFailure ex)
        {
            await context.Error.WriteLineAsync($"error: {ex.Code}: {ex.Message}");
            return ExitFailure;
        }
        catch (ConfigurationException ex)
        {
            await context.Error.WriteLineAsync($"error: config: {ex.Message}");
            return ExitFailure;
        }
        catch (TimeoutException ex)
        {
            await context.Error.WriteLineAsync($"error: timeout: {ex.Message}");
            return ExitFailure;
        }
        catch (Exception ex) when (ex is IOException or SocketException or UnauthorizedAccessException)
        {
            await context.Error.WriteLineAsync($"error: io: {ex.Message}");
            return ExitFailure;
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            await context.Error.WriteLineAsync("error: cancelled: interrupted.");
            return 130;
        }
    }

    public static string Version => Butterfly.Protocol.ButterflyVersion.Current;

    /// <summary>The longest command whose words open <paramref name="args"/>.</summary>
    internal static CommandDefinition? Find(IReadOnlyList<string> args, out int consumed)
    {
        CommandDefinition? best = null;
        consumed = 0;
        foreach (var command in Commands)
        {
            var words = command.Words;
            if (words.Length > args.Count || words.Length <= consumed)
            {
                continue;
            }

            var match = true;
            for (var i = 0; i < words.Length; i++)
            {
                if (!string.Equals(words[i], args[i], StringComparison.Ordinal))
                {
                    match = false;
                    break;
                }
            }

            if (match)
            {
                best = command;
                consumed = words.Length;
            }
        }

        return best;
    }

    private static async Task<int> UnknownCommandAsync(IReadOnlyList<string> args, CommandContext context)
    {
        // A group word alone ("butterfly user") lists that group's commands.
        var group = Commands.Where(c => c.Words.Length > 1 && c.Words[0] == args[0]).ToList();
        if (group.Count > 0)
        {
            var wantsHelp = args.Count > 1 && ArgumentParser.WantsHelp(args.Skip(1).ToArray());
            var writer = wantsHelp ? context.Out : context.Error;
            if (args.Count > 1 && !wantsHelp)
            {
                await writer.WriteLineAsync($"error: usage: unknown command 'butterfly {args[0]} {args[1]}'.");
            }

            await writer.WriteLineAsync($"usage: butterfly {args[0]} COMMAND [options]");
            await writer.WriteLineAsync();
            await writer.WriteAsync(List(group));
            return wantsHelp ? ExitOk : ExitUsage;
        }

        await context.Error.WriteLineAsync($"error: usage: unknown command '{args[0]}' (see butterfly --help).");
        return ExitUsage;
    }

    private static string OverviewHelp() =>
        "usage: butterfly COMMAND [options]\n\n"
        + "Butterfly mail server and client. Every command takes --help.\n\n"
        + "commands:\n"
        + List(Commands)
        + "\nClient commands read --server, --user and --password, or the environment variables\n"
        + "BUTTERFLY_SERVER (default 127.0.0.1:7410), BUTTERFLY_USER and BUTTERFLY_PASSWORD.\n"
        + "Exit codes: 0 success, 1 the server or the system refused, 2 a usage error.\n"
        + "butterfly --version prints the version.\n";

    private static string List(IEnumerable<CommandDefinition> commands)
    {
        var text = new System.Text.StringBuilder();
        foreach (var command in commands)
        {
            text.Append("  ").Append(command.Name.PadRight(16)).AppendLine(command.Summary);
        }

        return text.ToString();
    }
}
