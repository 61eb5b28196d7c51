using Butterfly.Server.Configuration;
using Butterfly.Server.Delivery;
using Butterfly.Server.Federation;
using Butterfly.Server.Filters;
using Butterfly.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Queue;

/// <summary>
/// Delivers the outbound queue to peer servers (protocol/peer.md, "Delivering"): claims due entries (other
/// daemons on the same database leave them alone until the attempt's update),
/// runs the outbound filters, hands each entry to <see cref="IPeerTransport"/> as one delivery per
/// domain, and records the outcome in one transaction through the pipeline: delivered and
/// permanently failed recipients leave the entry, failures are bounced to the sender (the bounce
/// queued with the entry's new state, then delivered like any message), the rest are retried on
/// the configured schedule until the queue gives up.
/// </summary>
internal sealed partial class OutboundQueueWorker : BackgroundService
{
    // Entries falling due within this of each other are started by one look at the store.
    private static readonly TimeSpan _minimumWait = TimeSpan.FromMilliseconds(10);

    // After the store failed to answer: the next look.
    private static readonly TimeSpan _storeRetry = TimeSpan.FromSeconds(1);

    private readonly ButterflyOptions _options;
    private readonly IMailStore _store;
    private readonly IPeerTransport _transport;
    private readonly IFilterChain _filters;
    private readonly DeliveryPipeline _pipeline;
    private readonly WorkSignal _signal;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RetrySchedule _schedule;
    private readonly int _concurrency;
    private readonly int _refillThreshold;

    // Entries with an attempt under way: an entry is never tried twice at once.
    private readonly Dictionary<long, Task> _inFlight = [];

    /// <summary>Creates the worker from the daemon's services.</summary>
    public OutboundQueueWorker(
        ButterflyOptions options,
        IMailStore store,
        IPeerTransport transport,
        DeliveryPipeline pipeline,
        IServiceProvider services,
        ILoggerFactory loggers)
        : this(options, store, transport, services.GetService<IFilterChain>() ?? NoFilters.Instance, pipeline, loggers, TimeProvider.System)
    {
    }

    /// <summary>Creates the worker from its parts (tests).</summary>
    internal OutboundQueueWorker(
        ButterflyOptions options,
        IMailStore store,
        IPeerTransport transport,
        IFilterChain filters,
        DeliveryPipeline pipeline,
        ILoggerFactory loggers,
        TimeProvider time)
    {
        _options = options;
        _store = store;
        _transport = transport;
        _filters = filters;
        _pipeline = pipeline;
        _signal = pipeline.OutboundQueued;
        _time = time;
        _logger = loggers.CreateLogger("Butterfly.Queue");
        _schedule = new RetrySchedule(options.Queue);
        _concurrency = Math.Max(1, options.Queue.Concurrency);
        _refillThreshold = Math.Max(1, _concurrency / 4);
    }

    /// <summary>Attempts started so far (for tests and logs).</summary>
    public long AttemptsStarted => Interlocked.Read(ref _attemptsStarted);

    private long _attemptsStarted;

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _logger.LogInformation(
            "Outbound queue: up to {Concurrency} deliveries at once, retries after {Retries} s, giving up after {GiveUp}",
            _concurrency,
            string.Join("/", _options.Queue.EffectiveRetrySeconds),
            _schedule.GiveUpAfter);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                TimeSpan wait;
                try
                {
                    var looked = await StartDueAsync(stoppingToken);
                    wait = await UntilNextDueAsync(looked, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // The store could not be read (a PostgreSQL server restarting, the network): the queue
                    // stays as it was; look again shortly rather than stop delivering for good.
                    _logger.LogError(ex, "Reading the outbound queue failed; trying again shortly");
                    wait = _storeRetry;
                }

                while (await _signal.WaitAsync(wait, stoppingToken) && FreeSlots() < _refillThreshold)
                {
                    // Woken with only a few slots free: wait for more to free up, so that claiming the
                    // due list (which also returns the entries under way) is not paid per finished attempt.
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: stop taking work.
        }
        finally
        {
            // Attempts see the same token: a delivery cut short stays queued and is tried after restart
            // under the same id, which the receiver answers once.
            Task[] running;
            lock (_inFlight)
            {
                running = [.. _inFlight.Values];
            }

            await Task.WhenAll(running).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>
    /// How long until an entry not yet seen due falls due, at most <see cref="RetrySchedule.PollInterval"/>.
    /// Whatever else gives the worker work sets the signal (mail queued by a delivery, an attempt
    /// ending or freeing a slot, the control socket's <c>queue.retry</c>), so it sleeps until a retry
    /// time instead of polling.
    /// </summary>
    /// <param name="looked">When the due list was last read; null when every slot was busy (an attempt ending wakes the worker).</param>
    /// <param name="ct">Stops the wait for the store.</param>
    private async Task<TimeSpan> UntilNextDueAsync(DateTimeOffset? looked, CancellationToken ct)
    {
        if (looked is null)
        {
            return _schedule.PollInterval;
        }

        // Entries due by the last look were started or are under way; one that fell due since counts at once.
        var next = await _store.Queue.NextAttemptAfterAsync(QueueKind.Outbound, looked.Value, ct);
        var wait = next is { } due ? due - _time.GetUtcNow() : _schedule.PollInterval;
        return wait < _minimumWait ? _minimumWait : wait > _schedule.PollInterval ? _schedule.PollInterval : wait;
    }

    private int FreeSlots()
    {
        lock (_inFlight)
        {
            return _concurrency - _inFlight.Count;
        }
    }

    /// <summary>Starts an attempt for each due entry not already under way, up to the concurrency limit.</summary>
    /// <returns>The time of the last look at the due list; null when every slot was busy before it.</returns>
    private async Task<DateTimeOffset?> StartDueAsync(CancellationToken ct)
    {
        DateTimeOffset? looked = null;
        while (true)
        {
            int busy;
            lock (_inFlight)
            {
                busy = _inFlight.Count;
            }

            if (busy >= _concurrency)
            {
                return null;
            }

            // Claim the due list afresh each time: attempts that ended and an operator's "queue retry" changed it.
            // The claim keeps other daemons on the same database off these entries until each attempt's update.
            looked = _time.GetUtcNow();
            var due = await _store.Queue.ClaimDueAsync(QueueKind.Outbound, looked.Value, _concurrency + busy, ct);
            var started = 0;
            List<long>? unstarted = null;
            foreach (var entry in due)
            {
                lock (_inFlight)
                {
                    if (_inFlight.ContainsKey(entry.Id))
                    {
                        continue;
                    }

                    if (_inFlight.Count >= _concurrency)
                    {
                        (unstarted ??= []).Add(entry.Id);
                        continue;
                    }

                    Interlocked.Increment(ref _attemptsStarted);
                    _inFlight[entry.Id] = RunAttemptAsync(entry, ct);
                    started++;
                }
            }

            if (unstarted is not null)
            {
                // No slot for these: let another daemon on the same database take them now rather than at our next look.
                await _store.Queue.ReleaseAsync(unstarted, ct);
            }

            // Another page only when this one was all new work and there may be more.
            if (started == 0 || due.Count < _concurrency + busy)
            {
                return looked;
            }
        }
    }

    private async Task RunAttemptAsync(QueuedMessage entry, CancellationToken ct)
    {
        // Leave the loop's lock before doing any work.
        await Task.Yield();

        // Every line logged during this attempt (discovery, dialback, the peer's answer) names the delivery.
        using var scope = _logger.BeginScope("delivery {DeliveryId}", entry.DeliveryId);
        try
        {
            await AttemptAsync(entry, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            _logger.LogInformation("Queue {Id}: attempt interrupted by shutdown; it stays queued", entry.Id);
        }
        catch (Exception ex)
        {
            // The entry stays as it was; it is due again and is retried at the next look.
            _logger.LogError(ex, "Queue {Id} ({DeliveryId}): attempt failed unexpectedly; it stays queued", entry.Id, entry.DeliveryId);
            await BackOffAfterCrashAsync(entry, ex);
        }
        finally
        {
            lock (_inFlight)
            {
                _inFlight.Remove(entry.Id);
            }

            // A slot is free: look again.
            _signal.Set();
        }
    }

    private async Task BackOffAfterCrashAsync(QueuedMessage entry, Exception ex)
    {
        // Without this, an entry that crashes the attempt every time would be retried in a tight loop.
        try
        {
            var now = _time.GetUtcNow();
            await _store.Queue.UpdateAsync(new QueueUpdate(
                entry.Id,
                entry.Recipients,
                _schedule.NextAttempt(entry.Attempts + 1, now),
                entry.Attempts + 1,
                "server.internal: " + ex.Message,
                entry.DelayNotified));
        }
        catch (Exception inner) when (inner is StoreException or ObjectDisposedException or InvalidOperationException)
        {
            _logger.LogWarning(inner, "Queue {Id}: could not reschedule after the failure", entry.Id);
        }
    }
}
