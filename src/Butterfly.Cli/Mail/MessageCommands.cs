using System.CommandLine;
using Butterfly.Cli.Commands;
using Butterfly.Cli.Rendering;
using Butterfly.Protocol.Contracts;

namespace Butterfly.Cli.Mail;

/// <summary><c>butterfly move|copy|delete|flag</c>.</summary>
internal static class MessageCommands
{
    public static IEnumerable<Command> Build(CommandContext context, CommonOptions o) =>
    [
        Transfer(context, o, "move", "move messages to another folder"),
        Transfer(context, o, "copy", "copy messages to another folder"),
        Delete(context, o),
        Flag(context, o),
    ];

    private static Command Transfer(CommandContext context, CommonOptions o, string name, string description)
    {
        var ids = Values.MessageIds("the messages' ids in --folder");
        var to = new Option<string>("--to") { Description = "the target folder", HelpName = "FOLDER", Required = true, Validators = { Values.NotBlank } };
        var command = new Command(name, description) { ids, to, o.Folder, o.Json };
        o.AddConnection(command);
        CliAction.Set(command, context, o, parse => TransferAsync(
            context, o.Connection(parse), move: name == "move", parse.GetValue(o.Folder)!, parse.GetValue(ids)!, parse.GetValue(to)!, parse.GetValue(o.Json)));
        return command;
    }

    private static Command Delete(CommandContext context, CommonOptions o)
    {
        var ids = Values.MessageIds("the messages' ids in --folder");
        var command = new Command("delete", "move messages to Trash (from Trash: remove them for good)") { ids, o.Folder, o.Json };
        o.AddConnection(command);
        CliAction.Set(command, context, o, parse => DeleteAsync(context, o.Connection(parse), parse.GetValue(o.Folder)!, parse.GetValue(ids)!, parse.GetValue(o.Json)));
        return command;
    }

    private static Command Flag(CommandContext context, CommonOptions o)
    {
        var ids = Values.MessageIds("the messages' ids in --folder");
        var add = FlagOption("--add", "a flag to add (repeatable)");
        var remove = FlagOption("--remove", "a flag to remove (repeatable)");
        var command = new Command("flag", "add or remove flags (" + string.Join(", ", FlagNames.All) + ")") { ids, add, remove, o.Folder, o.Json };
        o.AddConnection(command);
        command.Validators.Add(result =>
        {
            if (!Values.Given(result, add) && !Values.Given(result, remove))
            {
                result.AddError("give a flag with --add FLAG or --remove FLAG.");
            }
        });
        CliAction.Set(command, context, o, parse => FlagAsync(
            context, o.Connection(parse), parse.GetValue(o.Folder)!, parse.GetValue(ids)!, parse.GetValue(add)!, parse.GetValue(remove)!, parse.GetValue(o.Json)));
        return command;
    }

    private static Option<string[]> FlagOption(string name, string description)
    {
        var option = new Option<string[]>(name) { Description = description, HelpName = "FLAG", DefaultValueFactory = _ => [] };

        // Also what shell completion offers after --add and --remove.
        option.AcceptOnlyFromAmong([.. FlagNames.All]);
        return option;
    }

    private static async Task<int> TransferAsync(CommandContext context, ConnectionArgs connection, bool move, string folder, long[] ids, string to, bool json)
    {
        await using var client = await MailConnection.LoginAsync(context, connection);
        var map = move
            ? await client.MoveAsync(folder, ids, to, context.CancellationToken)
            : await client.CopyAsync(folder, ids, to, context.CancellationToken);
        if (json)
        {
            await JsonOutput.WriteAsync(context.Out, w =>
            {
                w.WriteStartObject();
                w.WriteString("folder", to);
                JsonOutput.WriteIdMap(w, "ids", map);
                w.WriteEndObject();
            });
            return ExitCodes.Ok;
        }

        var verb = move ? "moved" : "copied";
        foreach (var (from, target) in map.OrderBy(p => p.Key))
        {
            await context.Out.WriteLineAsync($"{verb} {folder} {from} -> {to} {target}");
        }

        return ExitCodes.Ok;
    }

    private static async Task<int> DeleteAsync(CommandContext context, ConnectionArgs connection, string folder, long[] ids, bool json)
    {
        await using var client = await MailConnection.LoginAsync(context, connection);
        var result = await client.DeleteAsync(folder, ids, context.CancellationToken);
        if (json)
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
            return ExitCodes.Ok;
        }

        foreach (var (from, target) in result.Trashed.OrderBy(p => p.Key))
        {
            await context.Out.WriteLineAsync($"trashed {folder} {from} -> Trash {target}");
        }

        foreach (var id in result.Expunged)
        {
            await context.Out.WriteLineAsync($"removed {folder} {id} for good");
        }

        return ExitCodes.Ok;
    }

    private static async Task<int> FlagAsync(CommandContext context, ConnectionArgs connection, string folder, long[] ids, string[] add, string[] remove, bool json)
    {
        await using var client = await MailConnection.LoginAsync(context, connection);
        var states = await client.ChangeFlagsAsync(folder, ids, add, remove, context.CancellationToken);
        if (json)
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
            return ExitCodes.Ok;
        }

        foreach (var state in states)
        {
            await context.Out.WriteLineAsync($"{state.Id}: {(state.Flags.Count == 0 ? "-" : string.Join(',', state.Flags))}");
        }

        return ExitCodes.Ok;
    }
}
