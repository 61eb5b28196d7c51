using Acornima;
using Jint;
using Jint.Runtime;

namespace Butterfly.Scripting.Internal;

/// <summary>The one place that turns what stopped a script into the outcome and message its owner reads.</summary>
internal static class ScriptErrors
{
    public static ScriptError Create(ScriptOutcome outcome, string message, int? line = null, int? column = null) =>
        new(outcome.ToKind(), message, line, column);

    /// <summary>
    /// Maps an exception from Jint or from <c>ctx</c> to an error, or returns null for a host fault (a bug
    /// of ours, not the script's), which the caller lets through.
    /// </summary>
    public static ScriptError? FromException(Exception exception, ScriptLimits limits, CancellationToken cancellationToken)
    {
        var (outcome, message) = exception switch
        {
            ScriptLimitException limit => (limit.Outcome, limit.Message),
            StatementsCountOverflowException => (ScriptOutcome.StatementLimit, $"the script ran more than {limits.MaxStatements:N0} statements and was stopped"),
            TimeoutException => (ScriptOutcome.TimeLimit, $"the script ran longer than {limits.MaxCpuTime.TotalMilliseconds:N0} ms and was stopped"),
            MemoryLimitExceededException or OutOfMemoryException => (ScriptOutcome.MemoryLimit, $"the script allocated more than {limits.MaxMemoryBytes / 1024 / 1024.0:0.#} MiB and was stopped"),
            RecursionDepthOverflowException recursion => (ScriptOutcome.RecursionLimit, $"calls nested deeper than {limits.MaxRecursionDepth} (in {Trim(recursion.CallExpressionReference)}); the script was stopped"),
            InsufficientExecutionStackException => (ScriptOutcome.RecursionLimit, "calls nested too deep for the host's stack; the script was stopped"),
            ExecutionCanceledException => (ScriptOutcome.Cancelled, "the run was cancelled (the server is stopping); it will run again"),
            OperationCanceledException when cancellationToken.IsCancellationRequested => (ScriptOutcome.Cancelled, "the run was cancelled (the server is stopping); it will run again"),
            JavaScriptException js => (ScriptOutcome.RuntimeError, "uncaught " + js.Message),
            PromiseRejectedException rejected => (ScriptOutcome.RuntimeError, "the handler's promise was rejected: " + rejected.Message),
            ScriptPreparationException { InnerException: ParseErrorException parse } => (ScriptOutcome.SyntaxError, parse.Description),
            ParseErrorException parse => (ScriptOutcome.SyntaxError, parse.Description),
            JintException jint => (ScriptOutcome.RuntimeError, jint.Message),
            _ => ((ScriptOutcome?)null, ""),
        };

        if (outcome is not ScriptOutcome known)
        {
            return null;
        }

        var (line, column) = Location(exception);
        return Create(known, message, line, column);
    }

    private static (int? Line, int? Column) Location(Exception exception)
    {
        if (exception is ScriptPreparationException { InnerException: ParseErrorException inner })
        {
            exception = inner;
        }

        if (exception is ParseErrorException parse)
        {
            return (parse.LineNumber, parse.Column + 1); // Acornima counts columns from 0
        }

        if (exception is JavaScriptException js && js.Location.Start.Line > 0)
        {
            return (js.Location.Start.Line, js.Location.Start.Column + 1);
        }

        if (JintException.TryGetJavaScriptLocation(exception, out var location) && location.Start.Line > 0)
        {
            return (location.Start.Line, location.Start.Column + 1);
        }

        return (null, null);
    }

    private static string Trim(string? text) => string.IsNullOrEmpty(text) ? "a function" : text.Length > 80 ? text[..80] : text;
}
