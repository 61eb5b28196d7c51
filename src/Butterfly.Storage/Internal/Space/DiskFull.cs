using Microsoft.Data.Sqlite;

namespace Butterfly.Storage.Internal;

/// <summary>Recognizes "no space left" however it surfaces: SQLite's SQLITE_FULL, or an I/O error with ENOSPC or EDQUOT.</summary>
internal static class DiskFull
{
    private const int SqliteFull = 13;
    private const int NoSpaceLinux = 28;
    private const int QuotaExceededLinux = 122;
    private const int QuotaExceededBsd = 69;

    /// <summary>Whether <paramref name="ex"/> (or an exception inside it) says the disk is full.</summary>
    public static bool Is(Exception? ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case StoreException { Error: StoreError.StorageFull }:
                    return true;
                case SqliteException sqlite when (sqlite.SqliteErrorCode & 0xFF) == SqliteFull:
                    return true;
                case IOException io when io.HResult is NoSpaceLinux or QuotaExceededLinux or QuotaExceededBsd:
                    return true;
            }
        }

        return false;
    }
}
