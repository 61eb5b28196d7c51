using System.Diagnostics;
using Butterfly.Scripting.Internal;
using Jint;
using Jint.Native;

namespace Butterfly.Scripting;

/// <summary>Runs prepared scripts: one fresh sandboxed engine per run, so any number of runs may go at once.</summary>
/// <remarks>
/// Never throws for anything a script does: every limit, error and cancellation is a
/// <see cref="ScriptRunResult"/>. A failed run returns no effects and the input state.
/// </remarks>
public sealed class ScriptRunner
{
    /// <summary>Runs <c>onMessage(message, ctx)</c> for one incoming message.</summary>
    public ScriptRunResult RunMessage(PreparedScript script, ScriptMessage message, ScriptRunContext context, ScriptLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Run(script, message, context, limits, cancellationToken);
    }

    /// <summary>Runs <c>onSchedule(ctx)</c> once.</summary>
    public ScriptRunResult RunSchedule(PreparedScript script, ScriptRunContext context, ScriptLimits limits, CancellationToken cancellationToken) =>
        Run(script, null, context, limits, cancellationToken);

    private static ScriptRunResult Run(PreparedScript script, ScriptMessage? message, ScriptRunContext context, ScriptLimits limits, CancellationToken cancellationToken)
    {
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
