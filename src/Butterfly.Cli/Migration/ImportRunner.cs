using System.Threading.Channels;
using Butterfly.Cli.Commands;
using Butterfly.Client;

namespace Butterfly.Cli.Migration;

/// <summary>
/// Sends import items to the daemon: the source is read on its own thread into a bounded queue, and up
/// to <see cref="Window"/> <c>message.import</c> requests are in flight on one connection, so the
/// server's group commit takes them in batches while memory stays bounded by the window. Replies are
/// taken in the order sent, so the checkpoint always names a point before which everything is stored.
/// </summary>
internal sealed class ImportRunner(ButterflyClient client, TextWriter error, ImportProgress progress, ImportCheckpoint? checkpoint)
{
    /// <summary>How many imports are in flight at once.</summary>
    public const int Window = 64;

    private static readonly TimeSpan _checkpointEvery = TimeSpan.FromSeconds(1);

    // Default folders exist in every account; others are created before their first message.
    private readonly HashSet<string> _folders = new(["Inbox", "Drafts", "Sent", "Trash", "Junk"], StringComparer.Ordinal);

    private long _doneUnits;
    private long? _resumeAt;
    private DateTime _checkpointed = DateTime.UtcNow;

    /// <summary>The counts so far.</summary>
    public ImportCounts Counts { get; } = new();

    /// <summary>Imports every item; stops at the first failure that is not one message's own.</summary>
    /// <exception cref="CliFailure">The server refused to go on (quota, full disk, connection lost), after the
    /// messages in flight were answered and the checkpoint written.</exception>
    public async Task RunAsync(IEnumerable<ImportItem> items, CancellationToken ct)
    {
        var queue = Channel.CreateBounded<ImportItem>(new BoundedChannelOptions(Window) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var producer = Task.Run(() => ProduceAsync(items, queue.Writer, stop.Token), CancellationToken.None);
        var window = Math.Max(1, Math.Min(Window, client.Server.Limits.MaxInFlight - 1));
        var inFlight = new Queue<(ImportItem Item, Task<ImportResult> Reply)>(window);
        Exception? fatal = null;
        try
        {
            await foreach (var item in queue.Reader.ReadAllAsync(ct))
            {
                if (inFlight.Count >= window)
                {
                    fatal = await CompleteAsync(inFlight.Dequeue());
                    if (fatal is not null)
                    {
                        break;
                    }
                }

                if (item.Data is null)
                {
                    Refuse(item, "message.too-large", $"{item.Size:N0} bytes is more than the server takes ({client.Server.Limits.MaxMessageBytes:N0}).");
                    continue;
                }

                await EnsureFolderAsync(item.Folder, ct);
                // Not cancelled with the loop: on Ctrl+C the requests sent are still answered, counted and checkpointed.
                inFlight.Enqueue((item, client.ImportAsync(item.Folder, item.Data, item.Flags, item.Received, CancellationToken.None)));
            }
        }
        finally
        {
            // Whatever stopped the loop, the requests already sent are answered and counted.
            while (inFlight.Count > 0 && fatal is null)
            {
                fatal = await CompleteAsync(inFlight.Dequeue());
            }

            await DrainAsync(inFlight);

            await stop.CancelAsync();
            try
            {
                await producer;
            }
            catch (OperationCanceledException)
            {
            }

            if (_resumeAt is { } offset)
            {
                checkpoint?.Write(offset);
            }

            progress.Report(Counts, _doneUnits, final: true);
        }

        if (fatal is not null)
        {
            throw fatal;
        }
    }

    private static async Task ProduceAsync(IEnumerable<ImportItem> items, ChannelWriter<ImportItem> writer, CancellationToken ct)
    {
        try
        {
            foreach (var item in items)
            {
                await writer.WriteAsync(item, ct);
            }

            writer.Complete();
        }
        catch (Exception ex)
        {
            writer.Complete(ex is OperationCanceledException ? null : ex);
        }
    }

    private async Task EnsureFolderAsync(string folder, CancellationToken ct)
    {
        if (_folders.Contains(folder))
        {
            return;
        }

        try
        {
            await client.CreateFolderAsync(folder, ct);
        }
        catch (ButterflyException ex) when (ex.Code == "folder.exists")
        {
        }

        _folders.Add(folder);
    }

    // After a fatal reply the rest in flight are still counted, but nothing moves the checkpoint past the failure.
    private async Task DrainAsync(Queue<(ImportItem Item, Task<ImportResult> Reply)> inFlight)
    {
        while (inFlight.Count > 0)
        {
            var (item, reply) = inFlight.Dequeue();
            try
            {
                Count(item, await reply, moveCheckpoint: false);
            }
            catch (ButterflyException)
            {
            }
            catch (ButterflyConnectionException)
            {
            }
        }
    }

    private async Task<Exception?> CompleteAsync((ImportItem Item, Task<ImportResult> Reply) entry)
    {
        try
        {
            Count(entry.Item, await entry.Reply, moveCheckpoint: true);
            return null;
        }
        catch (ButterflyException ex) when (ex.Code is "message.too-large" or "message.invalid" or "message.empty")
        {
            Refuse(entry.Item, ex.Code, ex.Message);
            return null;
        }
        catch (ButterflyException ex)
        {
            return Stopped(entry.Item, ex.Code, ex.Message);
        }
        catch (ButterflyConnectionException ex)
        {
            return Stopped(entry.Item, "connection", ex.Message);
        }
    }

    private CliFailure Stopped(ImportItem item, string code, string message) => new(
        code,
        $"{message} The import stopped at {item.Where}: {Counts.Imported:N0} imported, {Counts.Duplicates:N0} duplicates skipped; "
        + "nothing acknowledged is lost. Run the same command again to go on: messages already imported are skipped.");

    private void Refuse(ImportItem item, string code, string message)
    {
        error.WriteLine($"skipped {item.Where}: {code}: {message}");
        Counts.Refused++;
        Advance(item, moveCheckpoint: true);
    }

    private void Count(ImportItem item, ImportResult result, bool moveCheckpoint)
    {
        if (result.Duplicate)
        {
            Counts.Duplicates++;
        }
        else
        {
            Counts.Imported++;
            Counts.Bytes += item.Size;
        }

        Advance(item, moveCheckpoint);
    }

    private void Advance(ImportItem item, bool moveCheckpoint)
    {
        _doneUnits += item.Units;
        if (moveCheckpoint && item.ResumeAt is { } resumeAt)
        {
            _resumeAt = resumeAt;
            if (checkpoint is not null && DateTime.UtcNow - _checkpointed >= _checkpointEvery)
            {
                checkpoint.Write(resumeAt);
                _checkpointed = DateTime.UtcNow;
            }
        }

        progress.Report(Counts, _doneUnits);
    }
}
