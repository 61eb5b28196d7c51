namespace Butterfly.Storage;

/// <summary>An allowed address in a listing: its owner and, when it has one, its script's version and schedule.</summary>
/// <param name="Address">The address.</param>
/// <param name="Owner">The owner's address.</param>
/// <param name="Version">The script's version, or null when the address has no script.</param>
/// <param name="Hash">The script's hash, or null.</param>
/// <param name="Updated">When the script was uploaded, or null.</param>
/// <param name="Schedule">The declared schedule, or null.</param>
/// <param name="NextRun">The next scheduled run, or null.</param>
/// <param name="Held">Messages waiting for the script (new, or held after a failed run).</param>
public sealed record ScriptSummary(
    string Address,
    string Owner,
    long? Version,
    string? Hash,
    DateTimeOffset? Updated,
    string? Schedule,
    DateTimeOffset? NextRun,
    int Held);
