using Butterfly.Protocol.Errors;
using Butterfly.Server.Sessions;
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
        StoreError.FolderNotFound => ErrorCode.FolderNotFound,
        StoreError.FolderExists => ErrorCode.FolderExists,
        StoreError.FolderInvalidName => ErrorCode.FolderInvalidName,
        StoreError.FolderNotEmpty => ErrorCode.FolderNotEmpty,
        StoreError.FolderProtected => ErrorCode.FolderProtected,
        StoreError.MessageNotFound => ErrorCode.MessageNotFound,
        StoreError.MessageNotDraft => ErrorCode.MessageNotDraft,
        _ => ErrorCode.ServerInternal,
    };

    public static Reply Fail(StoreError error) => Reply.Fail(ToErrorCode(error));
}
