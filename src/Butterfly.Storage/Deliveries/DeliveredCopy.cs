namespace Butterfly.Storage;

/// <summary>Where a stored copy landed.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="Folder">Canonical folder name.</param>
/// <param name="Id">The message id in that folder.</param>
public sealed record DeliveredCopy(long AccountId, string Folder, long Id);
