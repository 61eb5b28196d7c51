namespace Butterfly.Storage;

/// <summary>
/// What a script run writes in its delivery commit (<see cref="DeliveryCommit.ScriptRun"/>), besides
/// the copies and queue entries of its effects: the run log row, and for a committed run the new
/// state, the incoming message consumed and the schedule moved on. All of it or nothing: when the
/// message was consumed already, the state changed since <see cref="ExpectedStateVersion"/>, or the
/// schedule moved since <see cref="ExpectedNextRun"/>, the commit fails with
/// <see cref="StoreError.ScriptConflict"/> and changes nothing.
/// </summary>
/// <param name="Run">The log row (its id and time are filled in by the store).</param>
public sealed record ScriptRunRecord(ScriptRun Run)
{
    /// <summary>The new state JSON; null keeps the state.</summary>
    public string? NewState { get; init; }

    /// <summary>The state version the run read; checked when <see cref="NewState"/> is set.</summary>
    public long ExpectedStateVersion { get; init; }

    /// <summary>The queue entry (of kind <see cref="QueueKind.Script"/>) the run consumes, or null.</summary>
    public long? ConsumeQueueId { get; init; }

    /// <summary>For a scheduled run: the time it was due, checked against the script's next run.</summary>
    public DateTimeOffset? ExpectedNextRun { get; init; }

    /// <summary>For a scheduled run: the script's next run after this one.</summary>
    public DateTimeOffset? NextRun { get; init; }

    /// <summary>How many log rows to keep for the address (older ones are deleted in the same transaction).</summary>
    public int KeepRuns { get; init; } = 1000;
}
