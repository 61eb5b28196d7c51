using System.Globalization;

namespace Butterfly.Server.Configuration;

/// <summary>The mail store's room on disk (<c>store</c> in butterfly.json).</summary>
public sealed class StorageOptions
{
    /// <summary>
    /// New mail (sends, peer deliveries, uploads, drafts) is refused with the temporary error
    /// <c>storage.full</c> while it would leave less room than this in the data folder: free disk space
    /// plus the database's free pages. Deleting, moving and flagging mail go on. Default 64 MiB.
    /// </summary>
    public long MinFreeBytes { get; set; } = 64L << 20;

    /// <summary>
    /// The reserve file (<c>butterfly.reserve</c> in the data folder) given up when a delete, move, flag
    /// change or folder deletion finds the disk full, so that it can still commit; made again when space
    /// returns. 0 keeps none. Default 8 MiB.
    /// </summary>
    public long ReserveBytes { get; set; } = 8L << 20;

    /// <summary>Seconds between measurements of the room (in the background). Default 1.</summary>
    public double FreeSpaceCheckSeconds { get; set; } = 1;

    internal IEnumerable<string> Validate()
    {
        if (MinFreeBytes < 0)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"store.minFreeBytes must be 0 or more (it is {MinFreeBytes}).");
        }

        if (ReserveBytes < 0)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"store.reserveBytes must be 0 (none) or more (it is {ReserveBytes}).");
        }

        if (!(FreeSpaceCheckSeconds > 0) || FreeSpaceCheckSeconds > 3600)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"store.freeSpaceCheckSeconds must be more than 0 and at most 3600 (it is {FreeSpaceCheckSeconds}).");
        }
    }
}
