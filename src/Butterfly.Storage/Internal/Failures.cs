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

    private static string Count(long n, string noun) => Invariant($"{n} {noun}{(n == 1 ? string.Empty : "s")}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
