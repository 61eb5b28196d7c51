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
    /// <summary><c>protocol.frame-too-large</c> (protocol error: closes the connection).</summary>
    ProtocolFrameTooLarge,
    /// <summary><c>protocol.malformed-frame</c> (protocol error: closes the connection).</summary>
    ProtocolMalformedFrame,
    /// <summary><c>protocol.reserved-tag</c> (protocol error: closes the connection).</summary>
    ProtocolReservedTag,
    /// <summary><c>session.timeout</c> (protocol error: closes the connection).</summary>
    SessionTimeout,
    /// <summary><c>server.busy</c> (protocol error: closes the connection).</summary>
    ServerBusy,
    /// <summary><c>server.shutting-down</c> (protocol error: closes the connection).</summary>
    ServerShuttingDown,
    /// <summary><c>control.denied</c> (protocol error: closes the connection).</summary>
    ControlDenied,

    // Request errors: a tagged reply; the session goes on.
    /// <summary><c>request.malformed-json</c>.</summary>
    RequestMalformedJson,
    /// <summary><c>request.head-too-large</c>.</summary>
    RequestHeadTooLarge,
    /// <summary><c>request.too-deep</c>.</summary>
    RequestTooDeep,
    /// <summary><c>request.invalid</c>.</summary>
    RequestInvalid,
    /// <summary><c>request.unknown-command</c>.</summary>
    RequestUnknownCommand,
    /// <summary><c>request.too-many-in-flight</c>.</summary>
    RequestTooManyInFlight,
    /// <summary><c>hello.version-unsupported</c>.</summary>
    HelloVersionUnsupported,
    /// <summary><c>hello.required</c>.</summary>
    HelloRequired,

    /// <summary><c>auth.required</c>.</summary>
    AuthRequired,
    /// <summary><c>auth.failed</c>.</summary>
    AuthFailed,
    /// <summary><c>auth.already</c>.</summary>
    AuthAlready,
    /// <summary><c>register.disabled</c>.</summary>
    RegisterDisabled,

    /// <summary><c>account.exists</c>.</summary>
    AccountExists,
    /// <summary><c>account.invalid-address</c>.</summary>
    AccountInvalidAddress,
    /// <summary><c>account.weak-password</c>.</summary>
    AccountWeakPassword,
    /// <summary><c>account.not-found</c>.</summary>
    AccountNotFound,

    /// <summary><c>folder.not-found</c>.</summary>
    FolderNotFound,
    /// <summary><c>folder.exists</c>.</summary>
    FolderExists,
    /// <summary><c>folder.invalid-name</c>.</summary>
    FolderInvalidName,
    /// <summary><c>folder.not-empty</c>.</summary>
    FolderNotEmpty,
    /// <summary><c>folder.protected</c>.</summary>
    FolderProtected,

    /// <summary><c>message.not-found</c>.</summary>
    MessageNotFound,
    /// <summary><c>message.not-draft</c>.</summary>
    MessageNotDraft,
    /// <summary><c>message.too-large</c>.</summary>
    MessageTooLarge,
    /// <summary><c>message.invalid</c>.</summary>
    MessageInvalid,
    /// <summary><c>message.empty</c>.</summary>
    MessageEmpty,

    /// <summary><c>recipient.invalid</c>.</summary>
    RecipientInvalid,
    /// <summary><c>recipient.unknown</c>.</summary>
    RecipientUnknown,
    /// <summary><c>recipient.remote-unsupported</c>.</summary>
    RecipientRemoteUnsupported,
    /// <summary><c>recipient.none</c>.</summary>
    RecipientNone,
    /// <summary><c>recipient.too-many</c>.</summary>
    RecipientTooMany,

    /// <summary><c>recipient.relay-denied</c>.</summary>
    RecipientRelayDenied,

    /// <summary><c>recipient.domain-unreachable</c>.</summary>
    RecipientDomainUnreachable,

    /// <summary><c>message.loop</c>.</summary>
    MessageLoop,

    /// <summary><c>peer.auth-failed</c>.</summary>
    PeerAuthFailed,

    /// <summary><c>peer.domain-unknown</c>.</summary>
    PeerDomainUnknown,

    /// <summary><c>peer.not-authenticated</c>.</summary>
    PeerNotAuthenticated,

    /// <summary><c>peer.sender-mismatch</c>.</summary>
    PeerSenderMismatch,

    /// <summary><c>filter.rejected</c>.</summary>
    FilterRejected,

    /// <summary><c>filter.tempfail</c>.</summary>
    FilterTempFail,

    /// <summary><c>filter.not-configured</c>.</summary>
    FilterNotConfigured,

    /// <summary><c>filter.invalid-verdict</c>.</summary>
    FilterInvalidVerdict,

    /// <summary><c>filter.claim-refused</c>.</summary>
    FilterClaimRefused,

    /// <summary><c>queue.not-found</c>.</summary>
    QueueNotFound,

    /// <summary><c>storage.full</c> (temporary: try again once space is freed).</summary>
    StorageFull,

    /// <summary><c>quota.exceeded</c>.</summary>
    QuotaExceeded,

    /// <summary><c>address.taken</c>.</summary>
    AddressTaken,

    /// <summary><c>alias.not-found</c>.</summary>
    AliasNotFound,

    /// <summary><c>list.not-found</c>.</summary>
    ListNotFound,

    /// <summary><c>list.post-denied</c>.</summary>
    ListPostDenied,

    /// <summary><c>list.member-exists</c>.</summary>
    ListMemberExists,

    /// <summary><c>list.member-not-found</c>.</summary>
    ListMemberNotFound,

    /// <summary><c>state.too-old</c>.</summary>
    StateTooOld,

    /// <summary><c>message.from-not-owned</c>.</summary>
    MessageFromNotOwned,

    /// <summary><c>peer.from-not-aligned</c>.</summary>
    PeerFromNotAligned,

    /// <summary><c>search.bad-query</c>.</summary>
    SearchBadQuery,

    /// <summary><c>server.internal</c>.</summary>
    ServerInternal,

    /// <summary><c>script.not-allowed</c>.</summary>
    ScriptNotAllowed,

    /// <summary><c>script.not-found</c>.</summary>
    ScriptNotFound,

    /// <summary><c>script.syntax</c>.</summary>
    ScriptSyntax,

    /// <summary><c>script.too-large</c>.</summary>
    ScriptTooLarge,

    /// <summary><c>script.invalid-state</c>.</summary>
    ScriptInvalidState,

    /// <summary><c>script.rejected</c>.</summary>
    ScriptRejected,

    /// <summary><c>script.failed</c>.</summary>
    ScriptFailed,

    /// <summary><c>message.part-not-found</c>.</summary>
    MessagePartNotFound,
}
