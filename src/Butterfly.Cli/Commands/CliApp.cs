using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Butterfly.Cli.Account;
using Butterfly.Cli.Addresses;
using Butterfly.Cli.Backup;
using Butterfly.Cli.Bench;
using Butterfly.Cli.Dkim;
using Butterfly.Cli.ConfigCheck;
using Butterfly.Cli.Mail;
using Butterfly.Cli.Migrate;
using Butterfly.Cli.Migration;
using Butterfly.Cli.Queue;
using Butterfly.Cli.Quickstart;
using Butterfly.Cli.Serve;
using Butterfly.Cli.Status;
using Butterfly.Cli.Users;

namespace Butterfly.Cli.Commands;

/// <summary>
/// The <c>butterfly</c> command tree (System.CommandLine) and the one place that turns a parse into
/// an exit code: parse errors are usage errors (exit code 2, as text or with <c>--json</c> as JSON
/// on stderr); <c>--help</c>, <c>--version</c> and the <c>[suggest]</c> completion directive are
/// System.CommandLine's; everything else runs the command's action.
/// </summary>
internal static class CliApp
{
    /// <summary>The name the help, the errors and shell completion use, whatever the process is called.</summary>
    public const string Name = "butterfly";

    private const string Overview =
        "Butterfly mail server and client. Every command takes --help.\n\n"
        + "Client commands read --server, --user and --password, or the environment variables "
        + "BUTTERFLY_SERVER (default " + CommonOptions.DefaultServer + "), BUTTERFLY_USER and BUTTERFLY_PASSWORD. "
        + "Exit codes: 0 success, 1 the server or the system refused, 2 a usage error.";

    // "Required command was not provided." comes with the real complaint when a word is unknown; alone it is the complaint.
    private const string RequiredCommandMessage = "Required command was not provided.";

    private static readonly ParserConfiguration _parserConfiguration = new()
    {
        // "@name" is a folder or an address here, never a response file to expand.
        ResponseFileTokenReplacer = null,
    };

    /// <summary>Builds the command tree; every action writes through <paramref name="context"/>.</summary>
    public static RootCommand Build(CommandContext context)
    {
        var options = new CommonOptions();
        var root = new RootCommand(Overview);
        if (root.Name != Name)
        {
            // Run as "dotnet butterfly.dll" the root is named after the file; in tests, after the test host.
            root.Aliases.Add(Name);
        }

        // --help and -h only: "/h", "/?" and "-?" are folder names and arguments here, and noise in completion.
        var help = root.Options.OfType<HelpOption>().Single();
        root.Options[root.Options.IndexOf(help)] = new HelpOption("--help", "-h");
        root.Options.OfType<VersionOption>().Single().Action = new VersionAction();
        Command[] commands =
        [
            ServeCommand.Build(context, options),
            UserCommands.Build(context, options),
            RegisterCommand.Build(context, options),
            SendCommand.Build(context, options),
            ListCommand.Build(context, options),
            ReadCommand.Build(context, options),
            WatchCommand.Build(context, options),
            ChangesCommand.Build(context, options),
            SearchCommand.Build(context, options),
            ThreadCommand.Build(context, options),
            .. FolderCommands.Build(context, options),
            .. MessageCommands.Build(context, options),
            QueueCommands.Build(context, options),
            .. AccountCommands.Build(context, options),
            QuotaCommands.Build(context, options),
            AliasCommands.Build(context, options),
            MailingListCommands.Build(context, options),
            Scripts.ScriptCommands.Build(context, options),
            BenchCommands.Build(context, options),
            DkimCommands.Build(context, options),
            QuickstartCommand.Build(context, options),
            StatusCommand.Build(context, options),
            ConfigCheckCommand.Build(context, options),
            .. BackupCommands.Build(context, options),
            DraftCommands.Build(context, options),
            ImportCommand.Build(context, options),
            ExportCommand.Build(context, options),
            MigrateCommand.Build(context, options),
        ];
        foreach (var command in commands)
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    /// <summary>Parses <paramref name="args"/> and runs what they name; returns the exit code.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CommandContext context)
    {
        var root = Build(context);
        var parse = root.Parse(args, _parserConfiguration);
        if (parse.Action is ParseErrorAction)
        {
            return await UsageErrorAsync(root, parse, args, context);
        }

        return await parse.InvokeAsync(Invocation(context, context.Out), context.CancellationToken);
    }

    /// <summary>The words of the command <paramref name="result"/> names, without the root: <c>user add</c>.</summary>
    public static string CommandPath(CommandResult result)
    {
        var words = new List<string>();
        for (var current = result; current.Parent is CommandResult parent; current = parent)
        {
            words.Add(current.Command.Name);
        }

        words.Reverse();
        return string.Join(' ', words);
    }

    private static InvocationConfiguration Invocation(CommandContext context, TextWriter output) => new()
    {
        Output = output,
        Error = context.Error,

        // Failures are mapped to exit codes by CliAction; anything else is a bug and should show as one.
        EnableDefaultExceptionHandler = false,

        // The daemon drains on SIGTERM for as long as it needs, and Program.cs turns Ctrl+C into the
        // context's token: no 2-second cut-off from the parser library.
        ProcessTerminationTimeout = null,
    };

    private static async Task<int> UsageErrorAsync(RootCommand root, ParseResult parse, IReadOnlyList<string> args, CommandContext context)
    {
        var json = args.TakeWhile(a => a != "--").Contains("--json");
        var messages = parse.Errors.Select(e => e.Message).ToList();
        if (messages.Count > 1)
        {
            messages.Remove(RequiredCommandMessage);
        }

        if (Values.StrayOption(parse) is { } stray && !messages.Any(m => m.Contains($"'{stray}'", StringComparison.Ordinal)))
        {
            // The real mistake, before what it caused ("--jsn" taken as NAME leaves NEWNAME missing).
            messages.Insert(0, Values.Unrecognized(stray));
        }

        if (json)
        {
            await ErrorOutput.WriteAsync(context.Error, json: true, ErrorOutput.UsageCode, string.Join(' ', messages));
            return ExitCodes.Usage;
        }

        foreach (var message in messages)
        {
            await ErrorOutput.WriteAsync(context.Error, json: false, ErrorOutput.UsageCode, message);
        }

        var command = parse.CommandResult;
        var path = CommandPath(command);
        if (command.Command.Action is null && parse.UnmatchedTokens.Count == 0)
        {
            // "butterfly" or "butterfly user" alone: what could follow, on stderr.
            await context.Error.WriteLineAsync();
            var help = root.Parse([.. path.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"], _parserConfiguration);
            await help.InvokeAsync(Invocation(context, context.Error), context.CancellationToken);
        }
        else
        {
            await context.Error.WriteLineAsync($"see: {Name} {(path.Length == 0 ? string.Empty : path + " ")}--help");
        }

        return ExitCodes.Usage;
    }
}
