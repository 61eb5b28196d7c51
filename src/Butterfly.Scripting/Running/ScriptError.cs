namespace Butterfly.Scripting;

/// <summary>Why a compilation or a run failed, as the script's owner should read it.</summary>
/// <param name="Kind">The <see cref="ScriptOutcome"/> in kebab form (<c>syntax-error</c>, <c>statement-limit</c>, ...).</param>
/// <param name="Message">What happened, in one sentence.</param>
/// <param name="Line">1-based line in the script, when known.</param>
/// <param name="Column">1-based column in the script, when known.</param>
public sealed record ScriptError(string Kind, string Message, int? Line, int? Column)
{
    /// <summary>The outcome this error stands for.</summary>
    public ScriptOutcome Outcome => ScriptOutcomeExtensions.FromKind(Kind) ?? ScriptOutcome.RuntimeError;

    /// <summary>The error as one log line: <c>syntax-error at 3:14: Unexpected token</c>.</summary>
    public override string ToString() =>
        Line is int line ? $"{Kind} at {line}:{Column ?? 0}: {Message}" : $"{Kind}: {Message}";
}
