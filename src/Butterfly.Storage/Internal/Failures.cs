using System.Globalization;

namespace Butterfly.Storage.Internal;

/// <summary>The store's failures with the sentence each gives, naming the thing, in one place.</summary>
internal static class Failures
{
    public static StoreFailure AccountNotFound(string address) => new(StoreError.AccountNotFound, $"No such account: {address}");

    public static StoreFailure AccountNotFound(long id) => new(StoreError.AccountNotFound, Invariant($"No account with id {id}."));

    public static StoreFailure AccountExists(string address) => new(StoreError.AccountExists, $"An account for {address} exists already.");

    public static StoreFailure InvalidAddress() =>
        new(StoreError.AccountInvalidAddress, "An address must be 1 to 320 characters with no spaces or control characters.");

    public static StoreFailure InvalidAddress(string problem) => new(StoreError.AccountInvalidAddress, problem);

    public static StoreFailure AuthenticationFailed() => new(StoreError.AuthenticationFailed, "Unknown user or wrong password.");

    public static StoreFailure Busy() =>
        new(StoreError.Busy, "Too many password checks are waiting; try again in a moment.");

    public static StoreFailure FolderNotFound(string folder) => new(StoreError.FolderNotFound, $"No such folder: {folder}");

    public static StoreFailure FolderExists(string folder) => new(StoreError.FolderExists, $"A folder named {folder} exists already.");

    public static StoreFailure FolderInvalidName(string reason) => new(StoreError.FolderInvalidName, reason);

    public static StoreFailure FolderProtected(string folder) =>
        new(StoreError.FolderProtected, $"{folder} is a default folder; default folders cannot be renamed or deleted.");

    public static StoreFailure FolderNotEmpty(string folder, long messages, int subfolders) => new(
        StoreError.FolderNotEmpty,
        Invariant($"{folder} holds {Count(messages, "message")} and {Count(subfolders, "subfolder")}; delete it recursively to remove them."));

    public static StoreFailure MessageNotFound(long id, string folder) => new(StoreError.MessageNotFound, Invariant($"No such message: {id} in {folder}"));

    public static StoreFailure MessageNotDraft(long id, string folder) =>
        new(StoreError.MessageNotDraft, Invariant($"Message {id} in {folder} is not a draft; only drafts can be replaced."));

    public static StoreFailure StorageFull(string folder, long room, long floor) => new(
        StoreError.StorageFull,
        Invariant($"The disk holding the mail store is full ({room} bytes of room in {folder}, {floor} kept free); new mail is refused until space is freed. Deleting mail still works."));

    public static StoreException StorageFull(string folder, Exception cause) => new(
        StoreError.StorageFull,
        $"The disk holding the mail store ({folder}) is full; nothing was changed. Try again once space is freed. Deleting mail still works.",
        cause);

    public static StoreFailure AddressTaken(string address, string owner) =>
        new(StoreError.AddressTaken, $"{address} is taken already (by {owner}).");

    public static StoreFailure AliasNotFound(string address) => new(StoreError.AliasNotFound, $"No such alias: {address}");

    public static StoreFailure ListNotFound(string address) => new(StoreError.ListNotFound, $"No such list: {address}");

    public static StoreFailure ListMemberExists(string list, string member) =>
        new(StoreError.ListMemberExists, $"{member} is a member of {list} already.");

    public static StoreFailure ListMemberNotFound(string list, string member) =>
        new(StoreError.ListMemberNotFound, $"{member} is not a member of {list}.");

    public static StoreFailure StateTooOld(long since, long floor, long state) => new(
        StoreError.StateTooOld,
        since > state
            ? Invariant($"State {since} is newer than the account's state {state}; list the folders and messages again.")
            : Invariant($"State {since} is older than the changes kept (from state {floor}); list the folders and messages again."));

    public static StoreFailure QuotaExceeded(QuotaState quota, long size) => new(
        StoreError.QuotaExceeded,
        Invariant($"{quota.Address}: the mailbox is over its storage quota ({quota.Usage:N0} of {quota.Limit:N0} bytes used; the message has {size:N0})."));

    private static string Count(long n, string noun) => Invariant($"{n} {noun}{(n == 1 ? string.Empty : "s")}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    public static StoreFailure ScriptNotAllowed(string address) =>
        new(StoreError.ScriptNotAllowed, $"{address} may not have a script (the operator allows addresses with: butterfly script allow ADDRESS --owner ACCOUNT).");

    public static StoreFailure ScriptNotFound(string address) => new(StoreError.ScriptNotFound, $"{address} has no script.");

    public static StoreFailure ScriptConflict(string address, string what) => new(StoreError.ScriptConflict, $"{address}: {what} changed while the script ran; nothing was committed.");
}
