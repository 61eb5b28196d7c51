using Butterfly.Cli.Arguments;
using Butterfly.Cli.Commands;
using Butterfly.Cli.Rendering;
using Butterfly.Protocol.Contracts;

namespace Butterfly.Cli.Mail;

/// <summary><c>butterfly move|copy|delete|flag</c>.</summary>
internal static class MessageCommands
{
    public static IReadOnlyList<CommandDefinition> Definitions { get; } =
    [
        Transfer("move", "move messages to another folder"),
        Transfer("copy", "copy messages to another folder"),
        new()
        {
            Name = "delete",
            Summary = "move messages to Trash (from Trash: remove for good)",
            Usage = "ID... [options]",
            Options = MailOptions.With(MailOptions.Folder, MailOptions.Json),
            MinPositionals = 1,
            MaxPositionals = int.MaxValue,
            RunAsync = DeleteAsync,
        },
        new()
        {
            Name = "flag",
            Summary = "add or remove flags (seen, flagged, answered, draft)",
            Usage = "ID... [--add FLAG]... [--remove FLAG]... [options]",
            Options = MailOptions.With(
                MailOptions.Folder,
                OptionSpec.List("add", "FLAG", "a flag to add (repeatable)"),
                OptionSpec.List("remove", "FLAG", "a flag to remove (repeatable)"),
                MailOptions.Json),
            MinPositionals = 1,
            MaxPositionals = int.MaxValue,
            RunAsync = FlagAsync,
        },
    ];

    private static CommandDefinition Transfer(string name, string summary) => new()
    {
        Name = name,
        Summary = summary,
        Usage = "ID... --to FOLDER [options]",
        Options = MailOptions.With(
            OptionSpec.Value("to", "FOLDER", "the target folder"),
            MailOptions.Folder,
            MailOptions.Json),
        MinPositionals = 1,
        MaxPositionals = int.MaxValue,
        RunAsync = (context, args) => TransferAsync(name, context, args),
    };

    private static async Task<int> TransferAsync(string name, CommandContext context, ParsedArguments args)
    {
        var ids = args.Ids();
        var to = args.Value("to") ?? throw new UsageException("give the target folder with --to FOLDER.");
        var folder = args.Value("folder") ?? "Inbox";
        await using var client = await MailConnection.LoginAsync(context, args);
        var map = name == "move"
            ? await client.MoveAsync(folder, ids, to, context.CancellationToken)
            : await client.CopyAsync(folder, ids, to, context.CancellationToken);
        if (args.Has("json"))
        {
            await JsonOutput.WriteAsync(context.Out, w =>
            {
                w.WriteStartObject();
                w.WriteString("folder", to);
                JsonOutput.WriteIdMap(w, "ids", map);
                w.WriteEndObject();
            });
            return CliApp.ExitOk;
        }

        var verb = name == "move" ? "moved" : "copied";
        foreach (var (from, target) in map.OrderBy(p => p.Key))
        {
            await context.Out.WriteLineAsync($"{verb} {folder} {from} -> {to} {target}");
        }

        return CliApp.ExitOk;
    }

    private static async Task<int> DeleteAsync(CommandContext context, ParsedArguments args)
    {
        var ids = args.Ids();
        var folder = args.Value("folder") ?? "Inbox";
        await using var client = await MailConnection.LoginAsync(context, args);
        var result = await client.DeleteAsync(folder, ids, context.CancellationToken);
        if (args.Has("json"))
        {
            await JsonOutput.WriteAsync(context.Out, w =>
            {
                w.WriteStartObject();
                JsonOutput.WriteIdMap(w, "trashed", result.Trashed);
                w.WriteStartArray("expunged");
                foreach (var id in result.Expunged)
                {
                    w.WriteNumberValue(id);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
            return CliApp.ExitOk;
        }

        foreach (var (from, target) in result.Trashed.OrderBy(p => p.Key))
        {
            await context.Out.WriteLineAsync($"trashed {folder} {from} -> Trash {target}");
        }

        foreach (var id in result.Expunged)
        {
            await context.Out.WriteLineAsync($"removed {folder} {id} for good");
        }

        return CliApp.ExitOk;
    }

    private static async Task<int> FlagAsync(CommandContext context, ParsedArguments args)
    {
        var ids = args.Ids();
        var folder = args.Value("folder") ?? "Inbox";
        var add = args.Values("add");
        var remove = args.Values("remove");
        if (add.Count + remove.Count == 0)
        {
            throw new UsageException("give a flag with --add FLAG or --remove FLAG.");
        }

        foreach (var flag in add.Concat(remove))
        {
            if (!FlagNames.IsKnown(flag))
            {
                throw new UsageException($"unknown flag '{flag}' (flags are {string.Join(", ", FlagNames.All)}).");
            }
        }

        await using var client = await MailConnection.LoginAsync(context, args);
        var states = await client.ChangeFlagsAsync(folder, ids, add, remove, context.CancellationToken);
        if (args.Has("json"))
        {
            await JsonOutput.WriteAsync(context.Out, w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("messages");
                foreach (var state in states)
                {
                    w.WriteStartObject();
                    w.WriteNumber("id", state.Id);
                    JsonOutput.WriteStrings(w, "flags", state.Flags);
                    w.WriteNumber("modseq", state.ModSeq);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
            return CliApp.ExitOk;
        }

        foreach (var state in states)
        {
            await context.Out.WriteLineAsync($"{state.Id}: {(state.Flags.Count == 0 ? "-" : string.Join(',', state.Flags))}");
        }

        return CliApp.ExitOk;
    }
}
