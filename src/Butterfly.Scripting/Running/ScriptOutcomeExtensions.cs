namespace Butterfly.Scripting;

/// <summary>The kebab-case names of <see cref="ScriptOutcome"/> used in <see cref="ScriptError.Kind"/> and logs.</summary>
public static class ScriptOutcomeExtensions
{
    /// <summary>The outcome's kebab-case name: <c>StatementLimit</c> is <c>statement-limit</c>.</summary>
    public static string ToKind(this ScriptOutcome outcome) => outcome switch
    {
        ScriptOutcome.Completed => "completed",
        ScriptOutcome.NoHandler => "no-handler",
        ScriptOutcome.SyntaxError => "syntax-error",
        ScriptOutcome.RuntimeError => "runtime-error",
        ScriptOutcome.StatementLimit => "statement-limit",
        ScriptOutcome.TimeLimit => "time-limit",
        ScriptOutcome.MemoryLimit => "memory-limit",
        ScriptOutcome.RecursionLimit => "recursion-limit",
        ScriptOutcome.SendLimit => "send-limit",
        ScriptOutcome.StateLimit => "state-limit",
        ScriptOutcome.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    /// <summary>The outcome named by a kebab-case kind, or null for an unknown kind.</summary>
    public static ScriptOutcome? FromKind(string kind)
    {
        foreach (var outcome in Enum.GetValues<ScriptOutcome>())
        {
            if (outcome.ToKind() == kind)
            {
                return outcome;
            }
        }

        return null;
    }
}
