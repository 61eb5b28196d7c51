namespace Butterfly.Storage;

/// <summary>One row of a script's run log.</summary>
/// <param name="Id">Increasing id (the <c>since</c> of a follow).</param>
/// <param name="Address">The script's address.</param>
/// <param name="At">When the run ended.</param>
/// <param name="Trigger"><c>message</c> or <c>schedule</c>.</param>
/// <param name="Outcome">The outcome in kebab form (<c>completed</c>, <c>time-limit</c>, ...), or <c>bounced</c>.</param>
/// <param name="Committed">Whether the run's effects were committed.</param>
/// <param name="Version">The script version that ran.</param>
/// <param name="Delivery">The queue delivery id of the incoming message, or null for a scheduled run.</param>
/// <param name="Sender">The incoming message's envelope sender, or null.</param>
/// <param name="MessageId">The incoming message's Message-ID, or null.</param>
/// <param name="Effects">The effects as a JSON array, or null.</param>
/// <param name="Error">Why it failed, or null.</param>
/// <param name="Log">The script's <c>ctx.log</c> lines as a JSON array, or null.</param>
/// <param name="Statements">Statements the run executed.</param>
/// <param name="ElapsedMicroseconds">How long the run took.</param>
public sealed record ScriptRun(
    long Id,
    string Address,
    DateTimeOffset At,
    string Trigger,
    string Outcome,
    bool Committed,
    long Version,
    string? Delivery,
    string? Sender,
    string? MessageId,
    string? Effects,
    string? Error,
    string? Log,
    long Statements,
    long ElapsedMicroseconds);
