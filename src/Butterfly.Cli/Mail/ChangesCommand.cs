using System.CommandLine;
using System.Globalization;
using Butterfly.Cli.Commands;
using Butterfly.Cli.Rendering;
using Butterfly.Client;

namespace Butterfly.Cli.Mail;

/// <summary><c>butterfly changes --since STATE</c>: what changed after a state (protocol/client.md, "changes").</summary>
internal static class ChangesCommand
{
    public static Command Build(CommandContext context, CommonOptions o)
    {
        var since = new Option<long>("--since")
        {
            Description = "the state to start after (from watch, an earlier changes, or a listing's modseq); 0 for everything kept",
            HelpName = "STATE",
            Required = true,
        };
        since.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<long>() < 0)
            {
                r.AddError("--since must be 0 or more.");
            }
        });
        var folder = new Option<string?>("--folder")
        {
            Description = "only this folder (default: the whole account)",
            HelpName = "NAME",
        };
        var command = new Command(
            "changes",
            "show what changed after a state: folders created, renamed and deleted, messages created, changed and removed, and the new state")
        {
            since, folder, o.Json,
        };
        o.AddConnection(command);
        CliAction.Set(command, context, o, parse => RunAsync(context, o.Connection(parse), parse.GetValue(since), parse.GetValue(folder), parse.GetValue(o.Json)));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, ConnectionArgs connection, long since, string? folder, bool json)
    {
        await using var client = await MailConnection.LoginAsync(context, connection);
        var pages = new List<ChangesPage>();
        var state = since;
        do
        {
            pages.Add(await client.ChangesAsync(state, folder, null, context.CancellationToken));
            state = pages[^1].State;
        }
        while (pages[^1].More);

        if (json)
        {
            await JsonOutput.WriteAsync(context.Out, w =>
            {
                w.WriteStartObject();
                w.WriteNumber("since", since);
                w.WriteNumber("state", state);
                w.WriteStartArray("folders");
                foreach (var change in pages.SelectMany(p => p.Folders))
                {
                    w.WriteStartObject();
                    w.WriteString("change", change.Change);
                    w.WriteString("folder", change.Folder);
                    if (change.OldFolder is not null)
                    {
                        w.WriteString("oldFolder", change.OldFolder);
                    }

                    w.WriteNumber("modseq", change.ModSeq);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                foreach (var (name, messages) in new[] { ("created", pages.SelectMany(p => p.Created)), ("changed", pages.SelectMany(p => p.Changed)) })
                {
                    w.WriteStartArray(name);
                    foreach (var message in messages)
                    {
                        DtoJson.WriteMessage(w, message);
                    }

                    w.WriteEndArray();
                }

                w.WriteStartArray("removed");
                foreach (var removed in pages.SelectMany(p => p.Removed))
                {
                    w.WriteStartObject();
                    w.WriteString("folder", removed.Folder);
                    w.WriteNumber("id", removed.Id);
                    if (removed.To is not null)
                    {
                        w.WriteString("to", removed.To);
                        w.WriteNumber("toId", removed.ToId ?? 0);
                    }

                    w.WriteNumber("modseq", removed.ModSeq);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
            return ExitCodes.Ok;
        }

        var table = new TableWriter(["STATE", "CHANGE", "WHERE", "WHAT"], [0, 0, 40, 70]);
        foreach (var change in pages.SelectMany(p => p.Folders))
        {
            table.Add(Invariant(change.ModSeq), $"folder {change.Change}", change.Folder, change.OldFolder is null ? "" : $"was {change.OldFolder}");
        }

        foreach (var message in pages.SelectMany(p => p.Created))
        {
            table.Add(Invariant(message.ModSeq), "created", $"{message.Folder}/{message.Id}", $"{message.From}: {message.Subject}");
        }

        foreach (var message in pages.SelectMany(p => p.Changed))
        {
            table.Add(Invariant(message.ModSeq), "changed", $"{message.Folder}/{message.Id}", message.Flags.Count == 0 ? "-" : string.Join(',', message.Flags));
        }

        foreach (var removed in pages.SelectMany(p => p.Removed))
        {
            table.Add(Invariant(removed.ModSeq), removed.To is null ? "removed" : "moved", $"{removed.Folder}/{removed.Id}", removed.To is null ? "" : $"to {removed.To}/{removed.ToId}");
        }

        table.WriteTo(context.Out);
        await context.Out.WriteLineAsync($"state {Invariant(state)} (next time: butterfly changes --since {Invariant(state)})");
        return ExitCodes.Ok;
    }

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
