namespace Butterfly.Storage;

/// <summary>A folder a delivery puts a copy into.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="Folder">The folder name.</param>
/// <param name="Flags">Flags of the new copy.</param>
public sealed record DeliveryTarget(long AccountId, string Folder, MessageFlags Flags);
