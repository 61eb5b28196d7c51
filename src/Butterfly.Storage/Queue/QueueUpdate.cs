namespace Butterfly.Storage;

/// <summary>The state of a queue entry after an attempt.</summary>
/// <param name="Id">The queue id.</param>
/// <param name="Recipients">The recipients still to deliver to; null or empty removes the entry.</param>
/// <param name="NextAttempt">When to try next.</param>
/// <param name="Attempts">Attempts made so far.</param>
/// <param name="LastError">Why the last attempt failed.</param>
/// <param name="DelayNotified">Whether the sender was told of a delay.</param>
public sealed record QueueUpdate(
    long Id,
    IReadOnlyList<string>? Recipients,
    DateTimeOffset NextAttempt,
    int Attempts,
    string? LastError,
    bool DelayNotified);
