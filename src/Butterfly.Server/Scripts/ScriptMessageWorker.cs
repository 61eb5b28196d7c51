using Butterfly.Scripting;
using Butterfly.Server.Delivery;
using Butterfly.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Scripts;

/// <summary>
/// Runs the scripts of addresses that have mail waiting (queue entries of kind
/// <see cref="QueueKind.Script"/>): one message per address at a time, in arrival order per address,
/// on the host's bounded pool, so a busy or looping script holds its own lane and at most one pool
/// thread while other addresses go on. A run that completes commits all its effects with the message
/// consumed in one transaction (<see cref="DeliveryPipeline.CommitScriptRunAsync"/>); a run that fails
/// commits nothing but its log row and holds the message for a retry, and after the last retry the
/// message is bounced to its sender with the reason.
/// </summary>
internal sealed class ScriptMessageWorker : BackgroundService
{
    private const int BatchSize = 64;
    private const int MaxDeferredCommits = 16;
    private static readonly TimeSpan LaneBusyPause = TimeSpan.FromMilliseconds(20);
    private readonly ScriptHost _host;
    private readonly IMailStore _store;
    private readonly DeliveryPipeline _pipeline;
    private readonly ILogger _logger;
    private int _running;

    public ScriptMessageWorker(ScriptHost host)
    {
        _host = host;
        _store = host.Store;
        _pipeline = host.Pipeline;
        _logger = host.Logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = TimeSpan.FromSeconds(1);
            try
            {
                var now = DateTimeOffset.UtcNow;

                // The due entries in the queue_due index's order (most overdue first; a range read, cheap
                // whatever waits behind it), grouped by address, each address's in arrival order. Asking
                // for the oldest entry per address instead (GROUP BY over every waiting entry) cost time in
                // proportion to the backlog, and was asked at every message queued: with a few thousand
                // waiting for one busy address it took more CPU per message than the runs themselves.
                // Claimed: another daemon on the same database takes none of them, nor any later message of
                // an address with one here, until each is consumed or rescheduled (arrival order per address).
                var due = await _store.Queue.ClaimDueAsync(QueueKind.Script, now, BatchSize, stoppingToken);
                var started = 0;
                foreach (var lane in due.GroupBy(e => e.Recipients.Count > 0 ? e.Recipients[0] : string.Empty, StringComparer.Ordinal))
                {
                    if (!_host.Lanes.TryEnter(lane.Key))
                    {
                        continue;
                    }

                    started++;
                    Interlocked.Increment(ref _running);
                    var entries = lane.OrderBy(e => e.Id).ToList();
                    _ = Task.Run(() => ProcessLaneAsync(lane.Key, entries, stoppingToken), CancellationToken.None);
                }

                if (due.Count == 0 && await _store.Queue.NextAttemptAfterAsync(QueueKind.Script, now, stoppingToken) is { } next)
                {
                    wait = TimeSpan.FromTicks(Math.Clamp((next - now).Ticks, TimeSpan.FromMilliseconds(20).Ticks, wait.Ticks));
                }
                else if (started == 0 && due.Count > 0)
                {
                    // Everything due waits for a busy lane, which signals when it is done; mail queued
                    // meanwhile for another address waits at most this long, and the scans stay few.
                    await Task.Delay(LaneBusyPause, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Reading mail waiting for scripts failed; trying again shortly");
            }

            try
            {
                await _pipeline.ScriptQueued.WaitAsync(wait, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        // Shutdown: let the runs under way commit (or not) before the store closes.
        while (Volatile.Read(ref _running) > 0)
        {
            await Task.Delay(10, CancellationToken.None);
        }
    }

    /// <summary>
    /// One address's due entries, in order, holding its lane throughout. A run that leaves the state as it
    /// was does not wait for its commit before the next run starts (the next run would see the same state
    /// either way): up to <see cref="MaxDeferredCommits"/> commits are under way at once, and the group
    /// commit writes them with one sync instead of one each. A deferred commit that finds the state
    /// changed under it (the owner replaced it) is run again, in order, before the lane goes on.
    /// </summary>
    private async Task ProcessLaneAsync(string address, List<QueuedMessage> entries, CancellationToken ct)
    {
        var deferred = new List<(QueuedMessage Entry, Task<bool> RunAgain)>();
        try
        {
            foreach (var entry in entries)
            {
                if (ct.IsCancellationRequested)
                {
                    break;
                }

                await ProcessAsync(entry, address, deferred, ct);
                if (deferred.Count >= MaxDeferredCommits)
                {
                    await SettleAsync(address, deferred, ct);
                }
            }

            await SettleAsync(address, deferred, ct);
        }
        finally
        {
            _host.Lanes.Exit(address);
            Interlocked.Decrement(ref _running);
            _pipeline.ScriptQueued.Set();
        }
    }

    // Waits for the deferred commits; runs again (not deferred, in order) the entries whose state changed under them.
    private async Task SettleAsync(string address, List<(QueuedMessage Entry, Task<bool> RunAgain)> deferred, CancellationToken ct)
    {
        var again = new List<QueuedMessage>();
        foreach (var (entry, runAgain) in deferred)
        {
            try
            {
                if (await runAgain)
                {
                    again.Add(entry);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Shutting down: the entry stays queued.
            }
            catch (Exception ex)
            {
                await HostFaultAsync(entry, address, ex);
            }
        }

        deferred.Clear();
        foreach (var entry in again)
        {
            await ProcessAsync(entry, address, null, ct);
        }
    }

    private async Task ProcessAsync(QueuedMessage entry, string address, List<(QueuedMessage Entry, Task<bool> RunAgain)>? deferred, CancellationToken ct)
    {
        try
        {
            await RunAsync(entry, address, deferred, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: the entry stays queued and runs again after the restart.
        }
        catch (Exception ex)
        {
            await HostFaultAsync(entry, address, ex);
        }
    }

    /// <summary>
    /// A host fault, not the script's (the message cannot be read, the store failed): the same retries as a
    /// failed run, so it cannot spin, and after the last one a bounce to the sender, so it cannot stay
    /// queued forever (it was retried every first interval, without end, before).
    /// </summary>
    private async Task HostFaultAsync(QueuedMessage entry, string address, Exception ex)
    {
        var retries = _host.Options.EffectiveRetrySeconds;
        var attempts = entry.Attempts + 1;
        if (attempts <= retries.Count)
        {
            var next = DateTimeOffset.UtcNow.AddSeconds(retries[attempts - 1]);
            _logger.LogError(ex, "Running the script of {Address} on queued message {Id} failed; held, retry {Attempt} of {Retries} at {Next:u}", address, entry.Id, attempts, retries.Count, next);
            await _store.Queue.UpdateAsync(new QueueUpdate(entry.Id, entry.Recipients, next, attempts, ex.Message, false), CancellationToken.None);
            return;
        }

        _logger.LogError(ex, "Running the script of {Address} on queued message {Id} failed {Attempts} times; it is bounced", address, entry.Id, attempts);
        var content = await _store.Queue.ReadContentAsync(entry.Id, CancellationToken.None);
        if (content is not null)
        {
            await BounceAsync(
                entry, content, address, null, "host-error", $"The message could not be handed to the script of {address} ({attempts} attempts); the last time: {ex.Message}", null, CancellationToken.None);
        }
    }

    private async Task RunAsync(QueuedMessage entry, string address, List<(QueuedMessage Entry, Task<bool> RunAgain)>? deferred, CancellationToken ct)
    {
        var content = await _store.Queue.ReadContentAsync(entry.Id, ct);
        if (content is null)
        {
            return;
        }

        var meta = ScriptEntryMeta.Read(entry.Meta, entry.Created, entry.Id);
        var message = ScriptMessage.Read(content, entry.Sender, entry.Recipients);

        // A state changed under the run (the owner replaced it) makes the commit fail: run again on the new one.
        for (var round = 0; round < 3; round++)
        {
            var script = await _store.Scripts.GetAsync(address, null, ct);
            if (script is null)
            {
                await BounceAsync(entry, content, address, null, "no-script", $"{address} has no script any more.", null, ct);
                return;
            }

            var compiled = _host.Prepare(script);
            ScriptRunResult result;
            if (compiled.Script is not { } prepared)
            {
                var error = compiled.Error ?? new ScriptError("syntax-error", "The script does not compile.", null, null);
                result = new ScriptRunResult(error.Outcome, error, [], script.State, [], 0, TimeSpan.Zero);
            }
            else
            {
                var context = new ScriptRunContext(address, script.Owner, ScriptHost.DomainOf(address), meta.Now, meta.Seed, script.State);
                result = await _host.RunAsync(() => _host.Runner.RunMessageAsync(prepared, message, context, _host.Limits, ct), ct);
            }

            if (!result.Succeeded)
            {
                await FailAsync(entry, content, script, message.MessageId, result, Describe(result), ct);
                return;
            }

            var output = ScriptEffects.ToOutput(result.Effects, address, script.OwnerId, script.Owner, meta.Now, meta.Seed);
            var run = Run(entry, script, message.MessageId, result, committed: true) with { Effects = ScriptEffects.ToJson(result.Effects) };
            var record = new ScriptRunRecord(run)
            {
                NewState = result.StateJson == script.State ? null : result.StateJson,
                ExpectedStateVersion = script.StateVersion,
                ConsumeQueueId = entry.Id,
                KeepRuns = _host.Options.LogRetentionRuns,
            };
            var commit = _pipeline.CommitScriptRunAsync(output, (entry, content), record, ct);
            if (deferred is not null && record.NewState is null)
            {
                deferred.Add((entry, AfterCommitAsync(commit, entry, content, script, message.MessageId, result, ct)));
                return;
            }

            if (!await AfterCommitAsync(commit, entry, content, script, message.MessageId, result, ct))
            {
                return;
            }
        }

        _logger.LogWarning("Script {Address}: the state kept changing under the run of queued message {Id}; it runs again shortly", address, entry.Id);
    }

    /// <summary>
    /// What follows a run's commit: nothing when it was stored; true (run again) when the state changed under
    /// it and the entry is still queued; the failure policy when its effects could not be stored.
    /// </summary>
    private async Task<bool> AfterCommitAsync(
        Task<StoreResult<CommitResult>> commit, QueuedMessage entry, byte[] content, StoredScript script, string? messageId, ScriptRunResult result, CancellationToken ct)
    {
        var committed = await commit;
        if (committed.Ok)
        {
            return false;
        }

        if (committed.Error == StoreError.ScriptConflict)
        {
            return await _store.Queue.FindAsync(entry.Id, ct) is not null;
        }

        // The effects could not be stored (a folder name refused, the disk full): nothing was; the
        // failure policy applies as for a run that failed.
        await FailAsync(entry, content, script, messageId, result with { Outcome = ScriptOutcome.RuntimeError }, $"its effects could not be stored: {committed.Detail}", ct);
        return false;
    }

    /// <summary>
    /// The failure policy: the run committed nothing. The message is held for the next retry, with
    /// the log row, in one write; after the last retry it is bounced to its sender with the reason,
    /// consumed in the same transaction as the bounce and the log row.
    /// </summary>
    private async Task FailAsync(QueuedMessage entry, byte[] content, StoredScript script, string? messageId, ScriptRunResult result, string reason, CancellationToken ct)
    {
        var retries = _host.Options.EffectiveRetrySeconds;
        var attempts = entry.Attempts + 1;
        var now = DateTimeOffset.UtcNow;
        var run = Run(entry, script, messageId, result, committed: false);
        if (attempts <= retries.Count)
        {
            var next = now.AddSeconds(retries[attempts - 1]);
            _logger.LogWarning(
                "Script {Address} failed on queued message {Id} ({Reason}); held, retry {Attempt} of {Retries} at {Next:u}",
                script.Address,
                entry.Id,
                reason,
                attempts,
                retries.Count,
                next);
            await _store.Deliveries.CommitAsync(
                new DeliveryCommit(now)
                {
                    QueueUpdate = new QueueUpdate(entry.Id, entry.Recipients, next, attempts, reason, false),
                    ScriptRun = new ScriptRunRecord(run with { Error = $"{reason}; the message is held, retry {attempts} of {retries.Count} at {next:u}" })
                    {
                        KeepRuns = _host.Options.LogRetentionRuns,
                    },
                },
                ct);
            return;
        }

        await BounceAsync(entry, content, script.Address, script, result.Outcome.ToKind(), $"The script of {script.Address} failed on the message {attempts} times; the last time: {reason}", result, ct);
    }

    private async Task BounceAsync(
        QueuedMessage entry, byte[] content, string address, StoredScript? script, string outcome, string reason, ScriptRunResult? result, CancellationToken ct)
    {
        _logger.LogWarning("Script {Address}: queued message {Id} from {Sender} bounced: {Reason}", address, entry.Id, entry.Sender, reason);
        var output = new ScriptOutput(address, script?.OwnerId ?? 0, script?.Owner ?? string.Empty) { Reject = reason, RejectCode = "script.failed" };
        var run = new ScriptRun(
            0, address, DateTimeOffset.UtcNow, "message", outcome, false, script?.Version ?? 0, entry.DeliveryId, entry.Sender, null, null,
            reason + " (bounced to the sender)", result is null ? null : ScriptEffects.LinesJson(result.Log), result?.Statements ?? 0, Micros(result));
        var committed = await _pipeline.CommitScriptRunAsync(
            output, (entry, content), new ScriptRunRecord(run) { ConsumeQueueId = entry.Id, KeepRuns = _host.Options.LogRetentionRuns }, ct);
        if (!committed.Ok && committed.Error != StoreError.ScriptConflict)
        {
            _logger.LogError("Script {Address}: the bounce of queued message {Id} could not be stored ({Problem}); it stays queued", address, entry.Id, committed.Detail);
        }
    }

    private static ScriptRun Run(QueuedMessage entry, StoredScript script, string? messageId, ScriptRunResult result, bool committed) => new(
        0,
        script.Address,
        DateTimeOffset.UtcNow,
        "message",
        result.Outcome.ToKind(),
        committed,
        script.Version,
        entry.DeliveryId,
        entry.Sender,
        messageId,
        null,
        result.Error?.ToString(),
        result.Log.Count == 0 ? null : ScriptEffects.LinesJson(result.Log),
        result.Statements,
        Micros(result));

    private static long Micros(ScriptRunResult? result) => result is null ? 0 : (long)result.Elapsed.TotalMicroseconds;

    /// <summary>Why a run failed, in a sentence for the log and the bounce.</summary>
    internal static string Describe(ScriptRunResult result) => result.Error?.ToString() ?? result.Outcome.ToKind();
}
