namespace Butterfly.Scripting;

/// <summary>How a script run (or a compilation) ended. Only <see cref="Completed"/> is a success.</summary>
/// <remarks>The kebab-case form of each name (<c>statement-limit</c>) is <see cref="ScriptError.Kind"/>.</remarks>
public enum ScriptOutcome
{
    /// <summary>The handler returned; its effects and new state may be committed.</summary>
    Completed,

    /// <summary>The script has no handler for what was asked (no <c>onMessage</c>, or no <c>onSchedule</c>).</summary>
    NoHandler,

    /// <summary>The source does not parse, or uses something the sandbox refuses at compile time (<c>import</c>).</summary>
    SyntaxError,

    /// <summary>The script threw (or returned a rejected promise), or left state that is not JSON data.</summary>
    RuntimeError,

    /// <summary>More statements than <see cref="ScriptLimits.MaxStatements"/>.</summary>
    StatementLimit,

    /// <summary>Ran longer than <see cref="ScriptLimits.MaxCpuTime"/>.</summary>
    TimeLimit,

    /// <summary>Allocated more than <see cref="ScriptLimits.MaxMemoryBytes"/>.</summary>
    MemoryLimit,

    /// <summary>Calls nested deeper than <see cref="ScriptLimits.MaxRecursionDepth"/>.</summary>
    RecursionLimit,

    /// <summary>More messages than <see cref="ScriptLimits.MaxSends"/> (or recipients than <see cref="ScriptLimits.MaxRecipients"/>).</summary>
    SendLimit,

    /// <summary>The new state's JSON is larger than <see cref="ScriptLimits.MaxStateBytes"/>.</summary>
    StateLimit,

    /// <summary>The caller's cancellation token fired (the server is stopping).</summary>
    Cancelled,
}
