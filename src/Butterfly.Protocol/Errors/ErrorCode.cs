namespace Butterfly.Protocol.Errors;

/// <summary>
/// Every failure the protocol reports. The wire code and default text of each live in one
/// table, <see cref="ErrorCodes"/>, mirrored by protocol/errors.md.
/// </summary>
public enum ErrorCode
{
    /// <summary>No error.</summary>
    None = 0,

    // Protocol errors: an error frame with tag 0, then the connection is closed.
    ProtocolFrameTooLarge,
    ProtocolMalformedFrame,
    ProtocolReservedTag,
    SessionTimeout,
    ServerBusy,
    ServerShuttingDown,

    // Request errors: a tagged reply; the session goes on.
    RequestMalformedJson,
    RequestHeadTooLarge,
    RequestTooDeep,
    RequestInvalid,
    RequestUnknownCommand,
    RequestTooManyInFlight,
    HelloVersionUnsupported,

    AuthRequired,
    AuthFailed,
    AuthAlready,
    RegisterDisabled,

    AccountExists,
    AccountInvalidAddress,
    AccountWeakPassword,
    AccountNotFound,

    FolderNotFound,
    FolderExists,
    FolderInvalidName,
    FolderNotEmpty,
    FolderProtected,

    MessageNotFound,
    MessageNotDraft,
    MessageTooLarge,
    MessageInvalid,
    MessageEmpty,

    RecipientInvalid,
    RecipientUnknown,
    RecipientRemoteUnsupported,
    RecipientNone,
    RecipientTooMany,

    ServerInternal,
}
