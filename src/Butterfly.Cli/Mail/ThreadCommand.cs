using System.CommandLine;
using Butterfly.Cli.Commands;
using Butterfly.Cli.Rendering;

namespace Butterfly.Cli.Mail;

/// <summary><c>butterfly thread</c> (protocol/client.md, "thread.get").</summary>
internal static class ThreadCommand
{
    public static Command Build(CommandContext context, CommonOptions o)
    {
        var id = Values.OneMessageId("a message of the conversation (its id in --folder)");
        var command = new Command("thread", "show the conversation a message belongs to, oldest first, across folders")
        {
            id, o.Folder, o.Json,
        };
        o.AddConnection(command);
        CliAction.Set(command, context, o, parse => RunAsync(
            context, o.Connection(parse), parse.GetValue(o.Folder)!, parse.GetValue(id), parse.GetValue(o.Json)));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, ConnectionArgs connection, string folder, long id, bool json)
    {
        await using var client = await MailConnection.LoginAsync(context, connection);
        var messages = await client.GetThreadAsync(folder, id, context.CancellationToken);
        if (json)
        {
            await JsonOutput.WriteAsync(context.Out, w =>
            {
                w.WriteStartObject();
                MessageRows.WriteArray(w, "messages", messages);
                w.WriteEndObject();
            });
            return ExitCodes.Ok;
        }

        MessageRows.Table(messages).WriteTo(context.Out);
        await context.Out.WriteLineAsync(messages.Count == 1 ? "1 message in the thread" : $"{messages.Count} messages in the thread");
        return ExitCodes.Ok;
    }
}
