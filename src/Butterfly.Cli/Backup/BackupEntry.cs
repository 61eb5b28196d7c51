namespace Butterfly.Cli.Backup;

/// <summary>A file or folder in a backup's manifest.</summary>
/// <param name="Path">Relative to the backup (and to the data folder), '/'-separated.</param>
/// <param name="Mode">Its mode in the data folder.</param>
/// <param name="Size">Its size in bytes (files).</param>
/// <param name="Sha256">Its SHA-256 in lower-case hex (files); null for a folder.</param>
internal sealed record BackupEntry(string Path, UnixFileMode Mode, long Size, string? Sha256);
