using System.Globalization;
using Butterfly.Cli.Arguments;
using Butterfly.Cli.Commands;
using Butterfly.Cli.Rendering;

namespace Butterfly.Cli.Mail;

/// <summary><c>butterfly folders</c> and <c>butterfly folder create|rename|delete</c>.</summary>
internal static class FolderCommands
{
    public static IReadOnlyList<CommandDefinition> Definitions { get; } =
    [
        new()
        {
            Name = "folders",
            Summary = "list folders with message counts",
            Options = MailOptions.With(MailOptions.Json),
            RunAsync = ListAsync,
        },
        new()
        {
            Name = "folder create",
            Summary = "create a folder (e.g. Archive/2026)",
            Usage = "NAME [options]",
            Options = MailOptions.Connection,
            MinPositionals = 1,
            MaxPositionals = 1,
            RunAsync = CreateAsync,
        },
        new()
        {
            Name = "folder rename",
            Summary = "rename or move a folder with its subfolders",
            Usage = "NAME NEWNAME [options]",
            Options = MailOptions.Connection,
            MinPositionals = 2,
            MaxPositionals = 2,
            RunAsync = RenameAsync,
        },
        new()
        {
            Name = "folder delete",
            Summary = "delete a folder",
            Usage = "NAME [--recursive] [options]",
            Description = "Deletes a folder. A folder that holds messages or subfolders is refused unless\n"
                + "--recursive, which removes them for good.",
            Options = MailOptions.With(OptionSpec.Flag("recursive", "also delete its subfolders and messages, for good"), MailOptions.Json),
            MinPositionals = 1,
            MaxPositionals = 1,
            RunAsync = DeleteAsync,
        },
    ];

    private static async Task<int> ListAsync(CommandContext context, ParsedArguments args)
    {
        await using var client = await MailConnection.LoginAsync(context, args);
        var folders = await client.ListFoldersAsync(context.CancellationToken);
        if (args.Has("json"))
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
            return CliApp.ExitOk;
        }

        var table = new TableWriter(["FOLDER", "MESSAGES", "UNSEEN"], [0, 0, 0]);
        foreach (var folder in folders)
        {
            table.Add(folder.Name, folder.Messages.ToString(CultureInfo.InvariantCulture), folder.Unseen.ToString(CultureInfo.InvariantCulture));
        }

        table.WriteTo(context.Out);
        return CliApp.ExitOk;
    }

    private static async Task<int> CreateAsync(CommandContext context, ParsedArguments args)
    {
        await using var client = await MailConnection.LoginAsync(context, args);
        await client.CreateFolderAsync(args.Positionals[0], context.CancellationToken);
        await context.Out.WriteLineAsync($"created {args.Positionals[0]}");
        return CliApp.ExitOk;
    }

    private static async Task<int> RenameAsync(CommandContext context, ParsedArguments args)
    {
        await using var client = await MailConnection.LoginAsync(context, args);
        await client.RenameFolderAsync(args.Positionals[0], args.Positionals[1], context.CancellationToken);
        await context.Out.WriteLineAsync($"renamed {args.Positionals[0]} to {args.Positionals[1]}");
        return CliApp.ExitOk;
    }

    private static async Task<int> DeleteAsync(CommandContext context, ParsedArguments args)
    {
        await using var client = await MailConnection.LoginAsync(context, args);
        var result = await client.DeleteFolderAsync(args.Positionals[0], args.Has("recursive"), context.CancellationToken);
        if (args.Has("json"))
        {
            await JsonOutput.WriteAsync(context.Out, w =>
            {
                w.WriteStartObject();
                JsonOutput.WriteStrings(w, "deleted", result.Deleted);
                w.WriteNumber("messages", result.Messages);
                w.WriteEndObject();
            });
            return CliApp.ExitOk;
        }

        await context.Out.WriteLineAsync($"deleted {string.Join(", ", result.Deleted)} ({result.Messages} messages)");
        return CliApp.ExitOk;
    }
}
