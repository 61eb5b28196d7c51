namespace Butterfly.Storage;

/// <summary>
/// An account's folders: list, create, rename, delete. Every folder's parents exist.
/// One implementation per database; the conformance suite holds them to the same behaviour (src/Butterfly.Storage/README.md, "Contracts").
/// </summary>
public interface IFolderStore
{
    /// <summary>Lists an account's folders with their counters, ordered by name.</summary>
    Task<IReadOnlyList<FolderInfo>> ListAsync(long accountId, CancellationToken ct = default);

    /// <summary>Creates a folder, and its parents when they are missing.</summary>
    /// <returns>The new folder; or <see cref="StoreError.FolderExists"/>, <see cref="StoreError.FolderInvalidName"/>,
    /// <see cref="StoreError.AccountNotFound"/>.</returns>
    Task<StoreResult<FolderInfo>> CreateAsync(long accountId, string name, CancellationToken ct = default);

    /// <summary>
    /// Renames a folder and everything below it (a rename to another parent is a move); the new
    /// parents are created when missing. Default folders cannot be renamed.
    /// </summary>
    /// <returns>The folder under its new name; or <see cref="StoreError.FolderNotFound"/>, <see cref="StoreError.FolderExists"/>,
    /// <see cref="StoreError.FolderInvalidName"/>, <see cref="StoreError.FolderProtected"/>.</returns>
    Task<StoreResult<FolderInfo>> RenameAsync(long accountId, string name, string newName, CancellationToken ct = default);

    /// <summary>
    /// Deletes a folder. Refuses a folder with messages or subfolders unless <paramref name="recursive"/>;
    /// default folders cannot be deleted. Contents nothing else refers to are removed in the same transaction.
    /// </summary>
    /// <returns>What was removed; or <see cref="StoreError.FolderNotFound"/>, <see cref="StoreError.FolderNotEmpty"/>,
    /// <see cref="StoreError.FolderProtected"/>, <see cref="StoreError.FolderInvalidName"/>.</returns>
    Task<StoreResult<FolderDeletion>> DeleteAsync(long accountId, string name, bool recursive, CancellationToken ct = default);
}
