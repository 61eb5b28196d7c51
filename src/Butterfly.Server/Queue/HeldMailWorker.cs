using Butterfly.Server.Configuration;
using Butterfly.Server.Delivery;
using Butterfly.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Queue;

/// <summary>
/// Retries inbound mail held for a filter, and delivers injected messages and the server's own
/// notices (bounces, delay notices) through the pipeline: woken when such mail is
/// queued or a filter registers, and polling once a second so `butterfly queue retry` is seen.
/// </summary>
internal sealed class HeldMailWorker : BackgroundService
{
    private const int BatchSize = 64;
    private const int Concurrency = 8;
    private readonly DeliveryPipeline _pipeline;
    private readonly IMailStore _store;
    private readonly QueueOptions _options;
    private readonly SubmissionOptions _submissions;
    private readonly ILogger _logger;

    public HeldMailWorker(DeliveryPipeline pipeline, IMailStore store, ButterflyOptions options, ILoggerFactory loggers)
    {
        _pipeline = pipeline;
        _store = store;
        _options = options.Queue;
        _submissions = options.Submissions;
        _logger = loggers.CreateLogger("Butterfly.Held");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var poll = TimeSpan.FromSeconds(Math.Clamp(_options.HeldRetrySeconds, 0.05, 1));
        var nextPrune = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            IReadOnlyList<QueuedMessage> due = [];
            try
            {
                if (DateTimeOffset.UtcNow >= nextPrune)
                {
                    nextPrune = DateTimeOffset.UtcNow.AddHours(1);
                    await PruneReceivedAsync(stoppingToken);
                    await PruneSubmissionsAsync(stoppingToken);
                }

                var all = _pipeline.TakeRetryHeldNow();
                // Claimed: another daemon on the same database does not take these until each one's commit.
                due = await _store.Queue.ClaimDueAsync(QueueKind.Inbound, all ? DateTimeOffset.MaxValue : DateTimeOffset.UtcNow, BatchSize, stoppingToken);
                if (all && due.Count == BatchSize)
                {
                    _pipeline.RetryHeldNow();
                }

                // Several at once, so their commits share the store's group commit (a script that
                // writes to 100 members queues 100 entries); each entry is its own transaction.
                await Parallel.ForEachAsync(
                    due,
                    new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = stoppingToken },
                    (entry, ct) => new ValueTask(ProcessAsync(entry, ct)));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Reading held mail failed; trying again shortly");
            }

            if (due.Count < BatchSize)
            {
                try
                {
                    await _pipeline.HeldQueued.WaitAsync(poll, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// Forgets the delivery ids peers sent long ago. They are kept twice as long as a peer keeps
    /// retrying (and at least a week), so a late repeat still finds its record (peer.md, "Exactly once").
    /// </summary>
    private async Task PruneReceivedAsync(CancellationToken ct)
    {
        var keep = TimeSpan.FromSeconds(Math.Max(_options.GiveUpAfterSeconds * 2, 7 * 24 * 3600));
        var removed = await _store.PeerRecords.PruneAsync(DateTimeOffset.UtcNow - keep, ct);
        if (removed > 0)
        {
            _logger.LogInformation("Forgot {Count} peer delivery ids older than {Days:N0} days", removed, keep.TotalDays);
        }
    }

    /// <summary>Forgets client submission ids older than the retention window (client.md, "Submission ids").</summary>
    private async Task PruneSubmissionsAsync(CancellationToken ct)
    {
        var keep = TimeSpan.FromSeconds(_submissions.RetentionSeconds);
        var removed = await _store.Submissions.PruneAsync(DateTimeOffset.UtcNow - keep, ct);
        if (removed > 0)
        {
            _logger.LogInformation("Forgot {Count} client submission ids older than {Hours:N0} hours", removed, keep.TotalHours);
        }
    }

    private async Task ProcessAsync(QueuedMessage entry, CancellationToken ct)
    {
        // Every line logged while this entry is processed (filters, the commit, a failure) names it.
        using var scope = _logger.BeginScope("delivery {DeliveryId}", entry.DeliveryId);
        try
        {
            await _pipeline.ProcessHeldAsync(entry, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // The entry stays queued; push it back so one bad entry cannot spin the worker.
            _logger.LogError(ex, "Delivering held message {Id} ({DeliveryId}) failed; it stays queued", entry.Id, entry.DeliveryId);
            await _store.Queue.UpdateAsync(
                new QueueUpdate(entry.Id, entry.Recipients, DateTimeOffset.UtcNow.AddSeconds(_options.HeldRetrySeconds), entry.Attempts + 1, ex.Message, entry.DelayNotified),
                CancellationToken.None);
        }
    }
}
