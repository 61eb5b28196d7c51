using System.Diagnostics;
using Butterfly.Scripting.Internal;
using Jint;
using Jint.Native;

namespace Butterfly.Scripting;

/// <summary>Runs prepared scripts: one fresh sandboxed engine per run, so any number of runs may go at once.</summary>
/// <remarks>
/// Never throws for anything a script does: every limit, error and cancellation is a
/// <see cref="ScriptRunResult"/>. A failed run returns no effects and the input state. Each run goes on one
/// of a pool of long-lived threads with a deep stack (see <c>Internal/DeepStack</c>); the synchronous methods
/// block the calling thread until it is done, the asynchronous ones block none. Call from a bounded worker
/// pool: the runs going at once are the callers'.
/// </remarks>
public sealed class ScriptRunner
{
    private readonly DeepStackPool? _pool;

    /// <summary>A runner on the process's shared deep-stack threads.</summary>
    public ScriptRunner()
    {
    }

    /// <summary>A runner on its own threads (tests watch the reuse of a pool of one).</summary>
    internal ScriptRunner(DeepStackPool pool) => _pool = pool;

    /// <summary>Runs <c>onMessage(message, ctx)</c> for one incoming message.</summary>
    /// <exception cref="ArgumentException"><see cref="ScriptRunContext.StateJson"/> is not a JSON object (a host fault: the server stored it).</exception>
    public ScriptRunResult RunMessage(PreparedScript script, ScriptMessage message, ScriptRunContext context, ScriptLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Start(script, message, context, limits, cancellationToken, out var run) ?? Pool(limits).Run(run!, KeepThread);
    }

    /// <summary>Runs <c>onSchedule(ctx)</c> once.</summary>
    public ScriptRunResult RunSchedule(PreparedScript script, ScriptRunContext context, ScriptLimits limits, CancellationToken cancellationToken) =>
        Start(script, null, context, limits, cancellationToken, out var run) ?? Pool(limits).Run(run!, KeepThread);

    /// <summary>Like <see cref="RunMessage"/>, with no thread waiting for the run.</summary>
    /// <exception cref="ArgumentException"><see cref="ScriptRunContext.StateJson"/> is not a JSON object (a host fault: the server stored it).</exception>
    public Task<ScriptRunResult> RunMessageAsync(PreparedScript script, ScriptMessage message, ScriptRunContext context, ScriptLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Start(script, message, context, limits, cancellationToken, out var run) is { } done ? Task.FromResult(done) : Pool(limits).RunAsync(run!, KeepThread);
    }

    /// <summary>Like <see cref="RunSchedule"/>, with no thread waiting for the run.</summary>
    public Task<ScriptRunResult> RunScheduleAsync(PreparedScript script, ScriptRunContext context, ScriptLimits limits, CancellationToken cancellationToken) =>
        Start(script, null, context, limits, cancellationToken, out var run) is { } done ? Task.FromResult(done) : Pool(limits).RunAsync(run!, KeepThread);

    private DeepStackPool Pool(ScriptLimits limits) => _pool ?? DeepStack.PoolFor(limits);

    private static bool KeepThread(ScriptRunResult result) => DeepStack.KeepsThread(result.Outcome);

    // The result when the run ends before it starts; otherwise null and the run to do on a deep stack.
    private static ScriptRunResult? Start(
        PreparedScript script, ScriptMessage? message, ScriptRunContext context, ScriptLimits limits, CancellationToken cancellationToken, out Func<ScriptRunResult>? run)
    {
        run = null;
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(limits);
        var started = Stopwatch.GetTimestamp();
        var handlerName = message is null ? "onSchedule(ctx)" : "onMessage(message, ctx)";
        if (message is null ? !script.HandlesSchedule : !script.HandlesMessage)
        {
            return Failed(context, ScriptErrors.Create(ScriptOutcome.NoHandler, $"the script has no {handlerName}"), [], 0, started);
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return Failed(context, ScriptErrors.Create(ScriptOutcome.Cancelled, "the run was cancelled before it started"), [], 0, started);
        }

        run = () => RunOnDeepStack(script, message, context, limits, handlerName, started, cancellationToken);
        return null;
    }

    private static ScriptRunResult RunOnDeepStack(
        PreparedScript script,
        ScriptMessage? message,
        ScriptRunContext context,
        ScriptLimits limits,
        string handlerName,
        long started,
        CancellationToken cancellationToken)
    {
        using var session = new RunSession(context.Now, context.RandomSeed, limits, cancellationToken);
        ContextObject? ctx = null;
        try
        {
            var declarations = session.Load(script);
            var handler = message is null ? declarations.OnSchedule : declarations.OnMessage;
            if (!handler.IsCallable())
            {
                return Failed(context, ScriptErrors.Create(ScriptOutcome.NoHandler, $"the script's top-level code did not define {handlerName} this time"), [], session.Statements, started);
            }

            ctx = new ContextObject(session, context, message, limits);
            JsValue[] arguments = message is null ? [ctx.Value] : [MessageObject.Create(session.Engine, message), ctx.Value];
            // An async handler's promise is settled here: its jobs run on this thread, under the same limits.
            HandlerResult.Settle(session.Engine, session.Engine.Call(handler, JsValue.Undefined, arguments));
            var state = StateJson.Write(ctx.State, limits.MaxStateBytes);
            return new ScriptRunResult(ScriptOutcome.Completed, null, [.. ctx.Effects], state, ctx.Log, session.Statements, Stopwatch.GetElapsedTime(started));
        }
        catch (Exception exception) when (ScriptErrors.FromException(exception, limits, cancellationToken) is { } error)
        {
            return Failed(context, error, ctx?.Log ?? [], session.Statements, started);
        }
    }

    private static ScriptRunResult Failed(ScriptRunContext context, ScriptError error, IReadOnlyList<string> log, long statements, long started) =>
        new(error.Outcome, error, [], context.StateJson, log, statements, Stopwatch.GetElapsedTime(started));
}
