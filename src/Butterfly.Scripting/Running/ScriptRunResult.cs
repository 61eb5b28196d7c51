namespace Butterfly.Scripting;

/// <summary>What one run did.</summary>
/// <remarks>
/// When the run did not succeed, <paramref name="Effects"/> is empty and <paramref name="StateJson"/> is the
/// input state: nothing the run did may be applied. <paramref name="Log"/> is kept either way, so the owner
/// sees what the script said before it was stopped.
/// </remarks>
/// <param name="Outcome">How the run ended.</param>
/// <param name="Error">Why it failed; null when it completed.</param>
/// <param name="Effects">The messages to send, copies to file, forwards and rejections, in call order.</param>
/// <param name="StateJson">The new state (compact JSON object).</param>
/// <param name="Log">The lines of <c>ctx.log</c>.</param>
/// <param name="Statements">JavaScript statements executed, top-level code included.</param>
/// <param name="Elapsed">Wall-clock time of the run.</param>
public sealed record ScriptRunResult(
    ScriptOutcome Outcome,
    ScriptError? Error,
    IReadOnlyList<ScriptEffect> Effects,
    string StateJson,
    IReadOnlyList<string> Log,
    long Statements,
    TimeSpan Elapsed)
{
    /// <summary>True when the handler returned and the effects and new state may be committed.</summary>
    public bool Succeeded => Outcome == ScriptOutcome.Completed;
}
