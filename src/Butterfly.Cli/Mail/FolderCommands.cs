using System.CommandLine;
using System.Globalization;
using Butterfly.Cli.Commands;
using Butterfly.Cli.Rendering;

namespace Butterfly.Cli.Mail;

/// <summary><c>butterfly folders</c> and <c>butterfly folder create|rename|delete</c>.</summary>
internal static class FolderCommands
{
    public static IEnumerable<Command> Build(CommandContext context, CommonOptions o) =>
    [
        Folders(context, o),
        new Command("folder", "create, rename, delete and empty folders")
        {
            Create(context, o),
            Rename(context, o),
            Delete(context, o),
            FolderEmptyCommand.Build(context, o),
        },
    ];

    private static Command Folders(CommandContext context, CommonOptions o)
    {
        var command = new Command("folders", "list folders with message counts") { o.Json };
        o.AddConnection(command);
        CliAction.Set(command, context, o, parse => ListAsync(context, o.Connection(parse), parse.GetValue(o.Json)));
        return command;
    }

    private static Command Create(CommandContext context, CommonOptions o)
    {
        var name = new Argument<string>("NAME") { Description = "the folder, with / between levels (e.g. Archive/2026)", Validators = { Values.NotBlank } };
        var command = new Command("create", "create a folder (e.g. Archive/2026)") { name, o.Json };
        o.AddConnection(command);
        CliAction.Set(command, context, o, parse => CreateAsync(context, o.Connection(parse), parse.GetValue(name)!, parse.GetValue(o.Json)));
        return command;
    }

    private static Command Rename(CommandContext context, CommonOptions o)
    {
        var name = new Argument<string>("NAME") { Description = "the folder", Validators = { Values.NotBlank } };
        var newName = new Argument<string>("NEWNAME") { Description = "its new name (may move it under another folder)", Validators = { Values.NotBlank } };
        var command = new Command("rename", "rename or move a folder with its subfolders") { name, newName, o.Json };
        o.AddConnection(command);
        CliAction.Set(command, context, o, parse => RenameAsync(context, o.Connection(parse), parse.GetValue(name)!, parse.GetValue(newName)!, parse.GetValue(o.Json)));
        return command;
    }

    private static Command Delete(CommandContext context, CommonOptions o)
    {
        var name = new Argument<string>("NAME") { Description = "the folder", Validators = { Values.NotBlank } };
        var recursive = new Option<bool>("--recursive") { Description = "also delete its subfolders and messages, for good" };
        var command = new Command(
            "delete",
            "delete a folder (one holding messages or subfolders only with --recursive)")
        {
            name, recursive, o.Json,
        };
        o.AddConnection(command);
        CliAction.Set(command, context, o, parse => DeleteAsync(context, o.Connection(parse), parse.GetValue(name)!, parse.GetValue(recursive), parse.GetValue(o.Json)));
        return command;
    }

    private static async Task<int> ListAsync(CommandContext context, ConnectionArgs connection, bool json)
    {
        await using var client = await MailConnection.LoginAsync(context, connection);
        var folders = await client.ListFoldersAsync(context.CancellationToken);
        if (json)
        {
            await JsonOutput.WriteAsync(context.Out, w =>
            {
                w.WriteStartArray();
                foreach (var folder in folders)
                {
                    DtoJson.WriteFolder(w, folder);
                }

                w.WriteEndArray();
            });
            return ExitCodes.Ok;
        }

        var table = new TableWriter(["FOLDER", "MESSAGES", "UNSEEN"], [0, 0, 0]);
        foreach (var folder in folders)
        {
            table.Add(folder.Name, folder.Messages.ToString(CultureInfo.InvariantCulture), folder.Unseen.ToString(CultureInfo.InvariantCulture));
        }

        table.WriteTo(context.Out);
        return ExitCodes.Ok;
    }

    private static async Task<int> CreateAsync(CommandContext context, ConnectionArgs connection, string name, bool json)
    {
        await using var client = await MailConnection.LoginAsync(context, connection);
        var created = await client.CreateFolderAsync(name, context.CancellationToken);
        await JsonOutput.PrintAsync(context.Out, json, JsonOutput.Object(("created", created)), $"created {created}\n");
        return ExitCodes.Ok;
    }

    private static async Task<int> RenameAsync(CommandContext context, ConnectionArgs connection, string name, string newName, bool json)
    {
        await using var client = await MailConnection.LoginAsync(context, connection);
        var renamed = await client.RenameFolderAsync(name, newName, context.CancellationToken);
        await JsonOutput.PrintAsync(context.Out, json, JsonOutput.Object(("renamed", name), ("to", renamed)), $"renamed {name} to {renamed}\n");
        return ExitCodes.Ok;
    }

    private static async Task<int> DeleteAsync(CommandContext context, ConnectionArgs connection, string name, bool recursive, bool json)
    {
        await using var client = await MailConnection.LoginAsync(context, connection);
        var result = await client.DeleteFolderAsync(name, recursive, context.CancellationToken);
        if (json)
        {
            await JsonOutput.WriteAsync(context.Out, w =>
            {
                w.WriteStartObject();
                JsonOutput.WriteStrings(w, "deleted", result.Deleted);
                w.WriteNumber("messages", result.Messages);
                w.WriteEndObject();
            });
            return ExitCodes.Ok;
        }

        await context.Out.WriteLineAsync($"deleted {string.Join(", ", result.Deleted)} ({result.Messages} messages)");
        return ExitCodes.Ok;
    }
}
