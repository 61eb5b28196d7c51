using Butterfly.Protocol.Errors;
using Butterfly.Server.Wire;
using Butterfly.Storage;

namespace Butterfly.Server.Commands;

/// <summary>Maps store results to wire errors.</summary>
internal static class StoreErrors
{
    public static ErrorCode ToErrorCode(StoreError error) => error switch
    {
        StoreError.None => ErrorCode.None,
        StoreError.AccountExists => ErrorCode.AccountExists,
        StoreError.AccountNotFound => ErrorCode.AccountNotFound,
        StoreError.AccountInvalidAddress => ErrorCode.AccountInvalidAddress,
        StoreError.AuthenticationFailed => ErrorCode.AuthFailed,
        StoreError.Busy => ErrorCode.ServerBusy,
        StoreError.FolderNotFound => ErrorCode.FolderNotFound,
        StoreError.FolderExists => ErrorCode.FolderExists,
        StoreError.FolderInvalidName => ErrorCode.FolderInvalidName,
        StoreError.FolderNotEmpty => ErrorCode.FolderNotEmpty,
        StoreError.FolderProtected => ErrorCode.FolderProtected,
        StoreError.MessageNotFound => ErrorCode.MessageNotFound,
        StoreError.MessageNotDraft => ErrorCode.MessageNotDraft,
        StoreError.StorageFull => ErrorCode.StorageFull,
        StoreError.AddressTaken => ErrorCode.AddressTaken,
        StoreError.AliasNotFound => ErrorCode.AliasNotFound,
        StoreError.ListNotFound => ErrorCode.ListNotFound,
        StoreError.ListMemberExists => ErrorCode.ListMemberExists,
        StoreError.ListMemberNotFound => ErrorCode.ListMemberNotFound,
        StoreError.StateTooOld => ErrorCode.StateTooOld,
        StoreError.ScriptNotAllowed => ErrorCode.ScriptNotAllowed,
        StoreError.ScriptNotFound => ErrorCode.ScriptNotFound,
        StoreError.QuotaExceeded => ErrorCode.QuotaExceeded,
        _ => ErrorCode.ServerInternal,
    };

    /// <summary>
    /// The reply for an exception a command let through when the store named its cause (a full disk):
    /// that error and the store's sentence; null for anything else (an unexpected failure).
    /// </summary>
    public static Reply? FromException(Exception ex) =>
        ex is StoreException { Error: not StoreError.None } failure && ToErrorCode(failure.Error) is var code && code != ErrorCode.ServerInternal
            ? Reply.Fail(code, failure.Message)
            : null;

    /// <summary>The failure as a reply: the table's code, and the store's sentence that names the thing.</summary>
    public static Reply Fail<T>(StoreResult<T> result) => Reply.Fail(ToErrorCode(result.Error), result.Detail ?? ToErrorCode(result.Error).DefaultMessage());
}
