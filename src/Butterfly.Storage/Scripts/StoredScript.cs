namespace Butterfly.Storage;

/// <summary>The script of an address, with its state and schedule.</summary>
/// <param name="Address">The address it runs for.</param>
/// <param name="OwnerId">The owner's account id.</param>
/// <param name="Owner">The owner's address.</param>
/// <param name="Source">The JavaScript source.</param>
/// <param name="Version">Counts uploads for this address, from 1.</param>
/// <param name="Hash">Hex SHA-256 of the source: prepared scripts are cached by it.</param>
/// <param name="Updated">When this version was uploaded.</param>
/// <param name="Schedule">The schedule the script declares, as text (for people), or null.</param>
/// <param name="NextRun">When <c>onSchedule</c> runs next, or null when it has no schedule.</param>
/// <param name="State">The state JSON (<c>{}</c> when none).</param>
/// <param name="StateVersion">Counts state changes: a run's commit checks it was not changed meanwhile.</param>
public sealed record StoredScript(
    string Address,
    long OwnerId,
    string Owner,
    string Source,
    long Version,
    string Hash,
    DateTimeOffset Updated,
    string? Schedule,
    DateTimeOffset? NextRun,
    string State,
    long StateVersion);
