namespace Butterfly.Scripting;

/// <summary>What one run (or the top-level code at compile time) may use before it is stopped.</summary>
/// <remarks>
/// A run past any limit ends with the matching <see cref="ScriptOutcome"/> and commits nothing.
/// Statements, time and cancellation cover the whole run (top-level code and handler together);
/// memory is Jint's allocation budget, counted per entry into the engine.
/// </remarks>
public sealed record ScriptLimits
{
    /// <summary>The defaults: the values <c>butterfly.json</c> starts from.</summary>
    public static ScriptLimits Default { get; } = new();

    /// <summary>JavaScript statements executed.</summary>
    public long MaxStatements { get; init; } = 1_000_000;

    /// <summary>Time the run may take (Jint checks it between statements; wall clock on the run's thread).</summary>
    public TimeSpan MaxCpuTime { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Managed bytes the script may allocate (Jint's <c>LimitMemory</c>).</summary>
    public long MaxMemoryBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>Nested JavaScript calls (Jint's <c>LimitRecursion</c>).</summary>
    public int MaxRecursionDepth { get; init; } = 200;

    /// <summary>Messages one run may produce: each <c>send</c>, <c>reply</c> and <c>forward</c> is one.</summary>
    public int MaxSends { get; init; } = 1000;

    /// <summary>Recipients over all the messages of one run.</summary>
    public int MaxRecipients { get; init; } = 10_000;

    /// <summary>Bytes of the new state's UTF-8 JSON.</summary>
    public long MaxStateBytes { get; init; } = 1024 * 1024;

    /// <summary>Lines <c>ctx.log</c> keeps; later lines are counted and dropped, not an error.</summary>
    public int MaxLogLines { get; init; } = 100;

    /// <summary>Characters kept of one log line; the rest is cut off.</summary>
    public int MaxLogLineLength { get; init; } = 2000;
}
