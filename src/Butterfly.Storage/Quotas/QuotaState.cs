namespace Butterfly.Storage;

/// <summary>An account's storage usage and the quota in force.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="Address">Its address.</param>
/// <param name="Usage">Bytes its folders refer to: the sum of the sizes of its messages.</param>
/// <param name="Limit">The quota in bytes; null when there is none.</param>
/// <param name="Setting">Where <paramref name="Limit"/> comes from.</param>
public sealed record QuotaState(long AccountId, string Address, long Usage, long? Limit, QuotaSetting Setting)
{
    /// <summary>The share of the quota at which a warning is due: 90%.</summary>
    public const double WarningShare = 0.9;

    /// <summary>Whether storing <paramref name="size"/> more bytes would go over the quota.</summary>
    /// <param name="size">The bytes to add.</param>
    public bool WouldExceed(long size) => Limit is { } limit && Usage + size > limit;

    /// <summary>Whether usage is at or above <see cref="WarningShare"/> of the quota.</summary>
    public bool NearlyFull => Limit is { } limit && Usage >= limit * WarningShare;
}
