namespace Butterfly.Storage;

/// <summary>
/// The messages in an account's folders: list, fetch, store, replace, import, move, copy, delete, flag, empty a folder.
/// One implementation per database; the conformance suite holds them to the same behaviour (src/Butterfly.Storage/README.md, "Contracts").
/// </summary>
public interface IMessageStore
{
    /// <summary>
    /// Lists a folder newest first (ids descending), at most <paramref name="limit"/> messages with ids
    /// below <paramref name="before"/> (all when null). <see cref="MessagePage.Next"/> is the
    /// <paramref name="before"/> of the next page.
    /// </summary>
    /// <returns>The page; or <see cref="StoreError.FolderNotFound"/>.</returns>
    Task<StoreResult<MessagePage>> ListAsync(long accountId, string folder, long? before, int limit, CancellationToken ct = default);

    /// <summary>Reads one message with its bytes.</summary>
    /// <returns>The message; or <see cref="StoreError.FolderNotFound"/>, <see cref="StoreError.MessageNotFound"/>.</returns>
    Task<StoreResult<StoredMessage>> FetchAsync(long accountId, string folder, long id, CancellationToken ct = default);

    /// <summary>
    /// Moves messages to another folder of the same account; each gets a new id there. A move into the
    /// folder the messages are in already changes nothing and maps every id to itself.
    /// </summary>
    /// <returns>Old id to new id; or <see cref="StoreError.FolderNotFound"/>, <see cref="StoreError.MessageNotFound"/>
    /// (any id missing: nothing moves).</returns>
    Task<StoreResult<TransferResult>> MoveAsync(long accountId, string folder, IReadOnlyList<long> ids, string target, CancellationToken ct = default);

    /// <summary>Copies messages to a folder of the same account (the same one included); each copy gets a new id.</summary>
    /// <returns>Old id to new id; or <see cref="StoreError.FolderNotFound"/>, <see cref="StoreError.MessageNotFound"/>.</returns>
    Task<StoreResult<TransferResult>> CopyAsync(long accountId, string folder, IReadOnlyList<long> ids, string target, CancellationToken ct = default);

    /// <summary>
    /// Deletes messages: outside Trash they move to Trash; in Trash they are expunged for good, and
    /// contents nothing else refers to are removed in the same transaction.
    /// </summary>
    /// <returns>What happened; or <see cref="StoreError.FolderNotFound"/>, <see cref="StoreError.MessageNotFound"/>.</returns>
    Task<StoreResult<DeleteResult>> DeleteAsync(long accountId, string folder, IReadOnlyList<long> ids, CancellationToken ct = default);

    /// <summary>
    /// Adds and removes flags (add first, then remove). Messages whose flags change get the new
    /// modification sequence.
    /// </summary>
    /// <returns>The resulting flags of every id; or <see cref="StoreError.FolderNotFound"/>, <see cref="StoreError.MessageNotFound"/>.</returns>
    Task<StoreResult<IReadOnlyList<FlagChange>>> ChangeFlagsAsync(long accountId, string folder, IReadOnlyList<long> ids, MessageFlags add, MessageFlags remove, CancellationToken ct = default);

    /// <summary>
    /// Imports a message into one folder of the account, unless the folder holds the same bytes already
    /// (same SHA-256, hence same Message-ID and content): then nothing is stored and the copy there is
    /// named. The duplicate check and the quota check run inside the write, so pipelined imports of one
    /// message store it once, and an import never takes the account past its quota.
    /// </summary>
    /// <returns>The copy and whether it was there already; or <see cref="StoreError.FolderNotFound"/>,
    /// <see cref="StoreError.QuotaExceeded"/>, <see cref="StoreError.StorageFull"/>.</returns>
    Task<StoreResult<ImportedCopy>> ImportAsync(
        long accountId, string folder, ReadOnlyMemory<byte> content, ContentSummary summary, MessageFlags flags, DateTimeOffset received, CancellationToken ct = default);

    /// <summary>
    /// Expunges every message of a folder for good (Trash's "empty", or any folder's), in one
    /// transaction; contents nothing else refers to go with them. Subfolders are left alone.
    /// </summary>
    /// <returns>The folder and how many messages were expunged; or <see cref="StoreError.FolderNotFound"/>.</returns>
    Task<StoreResult<FolderEmptied>> EmptyFolderAsync(long accountId, string folder, CancellationToken ct = default);

    /// <summary>Stores a message into one folder of the account (a client's upload, a draft, a sent copy).</summary>
    /// <returns>Where it landed; or <see cref="StoreError.FolderNotFound"/>, <see cref="StoreError.StorageFull"/>.</returns>
    Task<StoreResult<DeliveredCopy>> AppendAsync(long accountId, string folder, ReadOnlyMemory<byte> content, ContentSummary summary, MessageFlags flags, DateTimeOffset received, CancellationToken ct = default);

    /// <summary>
    /// Stores a message into one folder of the account and records the client's submission id in the
    /// same transaction. When the account's id was recorded already, nothing is stored and the copy the
    /// first append made is returned (protocol/client.md, "Submission ids").
    /// </summary>
    /// <returns>Where it landed (or landed the first time); or <see cref="StoreError.FolderNotFound"/>, <see cref="StoreError.StorageFull"/>.</returns>
    Task<StoreResult<DeliveredCopy>> AppendAsync(long accountId, string folder, ReadOnlyMemory<byte> content, ContentSummary summary, MessageFlags flags, DateTimeOffset received, SubmissionRecord? submission, CancellationToken ct = default);

    /// <summary>
    /// Replaces a draft: stores the new content under a new id in the same folder and expunges the old
    /// message, in one transaction.
    /// </summary>
    /// <returns>Where the new version landed; or <see cref="StoreError.FolderNotFound"/>,
    /// <see cref="StoreError.MessageNotFound"/>, <see cref="StoreError.MessageNotDraft"/>, <see cref="StoreError.StorageFull"/>.</returns>
    Task<StoreResult<DeliveredCopy>> ReplaceAsync(long accountId, string folder, long id, ReadOnlyMemory<byte> content, ContentSummary summary, MessageFlags flags, DateTimeOffset received, CancellationToken ct = default);
}
