namespace Butterfly.Scripting.Internal;

/// <summary>
/// Thrown by the host side of <c>ctx</c> (sends, state) to stop a run. It is not a JavaScript error, so
/// the script's <c>try</c>/<c>catch</c> cannot swallow it.
/// </summary>
internal sealed class ScriptLimitException(ScriptOutcome outcome, string message) : Exception(message)
{
    public ScriptOutcome Outcome { get; } = outcome;
}
