using Butterfly.Server.Configuration;
using Butterfly.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Events;

/// <summary>
/// Forgets removed messages and folder changes older than <c>events.changesRetentionDays</c>, at start and
/// every hour, so the records behind "changes since" do not grow for ever; a client further behind gets
/// <c>state.too-old</c> (protocol/client.md, "changes").
/// </summary>
internal sealed class ChangeRetentionWorker(IMailStore store, ButterflyOptions options, ILogger<ChangeRetentionWorker> logger, TimeProvider? time = null)
    : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromHours(1);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, _time);
        do
        {
            try
            {
                var cutoff = _time.GetUtcNow() - TimeSpan.FromDays(options.Events.ChangesRetentionDays);
                var removed = await store.Changes.PruneAsync(cutoff, stoppingToken);
                if (removed > 0)
                {
                    logger.LogInformation("Forgot {Count} change records older than {Cutoff:u}", removed, cutoff);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is StoreException or ObjectDisposedException)
            {
                logger.LogWarning(ex, "Pruning old change records failed; trying again in an hour");
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
