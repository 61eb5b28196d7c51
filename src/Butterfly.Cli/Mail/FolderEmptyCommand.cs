using System.CommandLine;
using Butterfly.Cli.Commands;
using Butterfly.Cli.Rendering;

namespace Butterfly.Cli.Mail;

/// <summary><c>butterfly folder empty NAME</c>: every message of a folder removed for good, in one step.</summary>
internal static class FolderEmptyCommand
{
    public static Command Build(CommandContext context, CommonOptions o)
    {
        var name = new Argument<string>("NAME") { Description = "the folder (e.g. Trash)", Validators = { Values.NotBlank } };
        var yes = new Option<bool>("--yes", "-y") { Description = "do not ask for confirmation" };
        var command = new Command("empty", "remove every message of a folder for good (Trash, or a folder bench send filled); subfolders stay")
        {
            name, yes, o.Json,
        };
        o.AddConnection(command);
        CliAction.Set(command, context, o, parse => RunAsync(context, o.Connection(parse), parse.GetValue(name)!, parse.GetValue(yes), parse.GetValue(o.Json)));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, ConnectionArgs connection, string name, bool yes, bool json)
    {
        if (!yes && (context.InputRedirected || connection.PasswordStdin))
        {
            throw new UsageException($"emptying {name} removes its messages for good: give --yes to confirm when not asking on a terminal.");
        }

        await using var client = await MailConnection.LoginAsync(context, connection);
        if (!yes)
        {
            var folder = (await client.ListFoldersAsync(context.CancellationToken)).FirstOrDefault(f => f.Name == name);
            await context.Error.WriteAsync($"Remove the {folder?.Messages ?? 0} message(s) of {name} for good? [y/N] ");
            var answer = await context.In.ReadLineAsync(context.CancellationToken);
            if (answer?.Trim().ToLowerInvariant() is not ("y" or "yes"))
            {
                await context.Error.WriteLineAsync("nothing removed.");
                return ExitCodes.Failure;
            }
        }

        var removed = await client.EmptyFolderAsync(name, context.CancellationToken);
        await JsonOutput.PrintAsync(
            context.Out,
            json,
            w =>
            {
                w.WriteStartObject();
                w.WriteString("folder", name);
                w.WriteNumber("expunged", removed);
                w.WriteEndObject();
            },
            $"removed {removed} message(s) from {name}\n");
        return ExitCodes.Ok;
    }
}
