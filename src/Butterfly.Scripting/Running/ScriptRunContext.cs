namespace Butterfly.Scripting;

/// <summary>Everything a run depends on besides the script and the message.</summary>
/// <remarks>
/// <paramref name="Now"/> and <paramref name="RandomSeed"/> are chosen by the server and recorded with the
/// run, so running again after a crash gives the same effects and the same state.
/// </remarks>
/// <param name="Address">The scripted address (<c>ctx.address</c>).</param>
/// <param name="Owner">The account that owns the script (<c>ctx.owner</c>).</param>
/// <param name="Domain">The address's domain (<c>ctx.domain</c>).</param>
/// <param name="Now">The run's clock: <c>ctx.now</c>, <c>Date.now()</c> and <c>new Date()</c>.</param>
/// <param name="RandomSeed">Seeds <c>ctx.random()</c> and <c>Math.random()</c>.</param>
/// <param name="StateJson">The stored state, a JSON object; <c>"{}"</c> when there is none.</param>
public sealed record ScriptRunContext(
    string Address,
    string Owner,
    string Domain,
    DateTimeOffset Now,
    long RandomSeed,
    string StateJson);
