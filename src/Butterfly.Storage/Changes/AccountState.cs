namespace Butterfly.Storage;

/// <summary>An account's state after a commit: its modification sequence.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="ModSeq">Its modification sequence once the transaction committed.</param>
public readonly record struct AccountState(long AccountId, long ModSeq);
