using System.Security.Cryptography;
using Butterfly.Scripting;
using Butterfly.Server.Delivery;
using Butterfly.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Scripts;

/// <summary>
/// Runs <c>onSchedule</c> of each script at its next time (<see cref="ScriptSchedule.NextAfter"/>),
/// in the address's lane and on the host's pool, and commits the run's effects, new state, log row
/// and the next time in one transaction (the commit checks the time it ran for is still the
/// script's next one, so a run is committed once). The next time is taken after the later of now and
/// the time it was due: after downtime, the times missed run once, not once each. A failed run
/// commits only its log row and the next time (there is no message to hold).
/// </summary>
internal sealed class ScriptScheduleWorker : BackgroundService
{
    private readonly ScriptHost _host;
    private readonly IMailStore _store;
    private readonly ILogger _logger;
    private int _running;

    public ScriptScheduleWorker(ScriptHost host)
    {
        _host = host;
        _store = host.Store;
        _logger = host.Logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = TimeSpan.FromSeconds(30);
            try
            {
                var now = DateTimeOffset.UtcNow;
                var skipped = false;
                // Claimed: another daemon on the same database leaves these runs alone until their commit moves the time on.
                foreach (var script in await _store.Scripts.ClaimDueSchedulesAsync(now, 64, stoppingToken))
                {
                    if (!_host.Lanes.TryEnter(script.Address))
                    {
                        skipped = true;
                        continue;
                    }

                    Interlocked.Increment(ref _running);
                    _ = Task.Run(() => ProcessAsync(script, stoppingToken), CancellationToken.None);
                }

                if (skipped)
                {
                    wait = TimeSpan.FromMilliseconds(100);
                }
                else if (await _store.Scripts.NextScheduleAsync(stoppingToken) is { } next)
                {
                    wait = TimeSpan.FromTicks(Math.Clamp((next - now).Ticks, TimeSpan.FromMilliseconds(20).Ticks, wait.Ticks));
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Reading the scripts' schedules failed; trying again shortly");
                wait = TimeSpan.FromSeconds(1);
            }

            try
            {
                await _host.SchedulesChanged.WaitAsync(wait, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        while (Volatile.Read(ref _running) > 0)
        {
            await Task.Delay(10, CancellationToken.None);
        }
    }

    private async Task ProcessAsync(StoredScript script, CancellationToken ct)
    {
        try
        {
            await RunAsync(script, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: the time stays due and runs after the restart.
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "The scheduled run of the script of {Address} failed", script.Address);
        }
        finally
        {
            _host.Lanes.Exit(script.Address);
            Interlocked.Decrement(ref _running);
            _host.SchedulesChanged.Set();
        }
    }

    private async Task RunAsync(StoredScript listed, CancellationToken ct)
    {
        // Read again inside the lane: a message run may have changed the state since the listing.
        if (await _store.Scripts.GetAsync(listed.Address, null, ct) is not { NextRun: { } due } script || due != listed.NextRun)
        {
            return;
        }

        var now = DateTimeOffset.UtcNow;
        var seed = (long)RandomNumberGenerator.GetInt32(int.MaxValue) << 31 | (uint)RandomNumberGenerator.GetInt32(int.MaxValue);
        var compiled = _host.Prepare(script);
        var next = compiled.Script?.Schedule?.NextAfter(now > due ? now : due);
        ScriptRunResult result;
        if (compiled.Script is not { HandlesSchedule: true } prepared)
        {
            var error = compiled.Error ?? new ScriptError("no-handler", "The script has no onSchedule.", null, null);
            result = new ScriptRunResult(error.Outcome, error, [], script.State, [], 0, TimeSpan.Zero);
        }
        else
        {
            var context = new ScriptRunContext(script.Address, script.Owner, ScriptHost.DomainOf(script.Address), now, seed, script.State);
            result = await _host.RunAsync(() => _host.Runner.RunScheduleAsync(prepared, context, _host.Limits, ct), ct);
        }

        var run = new ScriptRun(
            0,
            script.Address,
            now,
            "schedule",
            result.Outcome.ToKind(),
            result.Succeeded,
            script.Version,
            null,
            null,
            null,
            result.Succeeded ? ScriptEffects.ToJson(result.Effects) : null,
            result.Error?.ToString(),
            result.Log.Count == 0 ? null : ScriptEffects.LinesJson(result.Log),
            result.Statements,
            (long)result.Elapsed.TotalMicroseconds);
        var record = new ScriptRunRecord(run)
        {
            NewState = result.Succeeded && result.StateJson != script.State ? result.StateJson : null,
            ExpectedStateVersion = script.StateVersion,
            ExpectedNextRun = due,
            NextRun = next,
            KeepRuns = _host.Options.LogRetentionRuns,
        };
        var output = result.Succeeded
            ? ScriptEffects.ToOutput(result.Effects, script.Address, script.OwnerId, script.Owner, now, seed)
            : new ScriptOutput(script.Address, script.OwnerId, script.Owner);
        var committed = await _host.Pipeline.CommitScriptRunAsync(output, null, record, ct);
        if (!committed.Ok && committed.Error != StoreError.ScriptConflict)
        {
            // The effects could not be stored: commit the failure and the next time, so the time does not spin.
            _logger.LogWarning("Script {Address}: the scheduled run of {Due:u} was not committed ({Problem})", script.Address, due, committed.Detail);
            var failed = record with
            {
                Run = run with { Committed = false, Effects = null, Error = $"its effects could not be stored: {committed.Detail}" },
                NewState = null,
            };
            await _host.Pipeline.CommitScriptRunAsync(new ScriptOutput(script.Address, script.OwnerId, script.Owner), null, failed, ct);
        }
        else if (!result.Succeeded)
        {
            _logger.LogWarning("Script {Address}: the scheduled run of {Due:u} failed: {Reason}", script.Address, due, ScriptMessageWorker.Describe(result));
        }
    }
}
