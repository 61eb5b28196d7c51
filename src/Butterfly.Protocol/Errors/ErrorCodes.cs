using System.Collections.Frozen;

namespace Butterfly.Protocol.Errors;

/// <summary>
/// The one table that maps each <see cref="ErrorCode"/> to its stable wire code, its default
/// human message, and whether it closes the connection. protocol/errors.md lists the same
/// rows; a test keeps the two in step.
/// </summary>
public static class ErrorCodes
{
    private static readonly Entry[] _table = BuildTable();

    private static readonly FrozenDictionary<string, ErrorCode> _byWire =
        _table.Where(e => e.Code != ErrorCode.None).ToFrozenDictionary(e => e.Wire, e => e.Code, StringComparer.Ordinal);

    /// <summary>Every code except <see cref="ErrorCode.None"/>, in table order.</summary>
    public static IReadOnlyList<ErrorCode> All { get; } =
        _table.Where(e => e.Code != ErrorCode.None).Select(e => e.Code).ToArray();

    /// <summary>The stable machine-readable code sent on the wire, e.g. <c>folder.not-found</c>.</summary>
    /// <param name="code">The error.</param>
    public static string ToWire(this ErrorCode code) => Row(code).Wire;

    /// <summary>The default human message for the error.</summary>
    /// <param name="code">The error.</param>
    public static string DefaultMessage(this ErrorCode code) => Row(code).Message;

    /// <summary>True for protocol errors: the server sends an error frame and closes the connection.</summary>
    /// <param name="code">The error.</param>
    public static bool ClosesConnection(this ErrorCode code) => Row(code).Closes;

    /// <summary>Finds the error for a wire code.</summary>
    /// <param name="wire">A code such as <c>auth.required</c>.</param>
    /// <param name="code">The error, when known.</param>
    public static bool TryParse(string? wire, out ErrorCode code)
    {
        if (wire is not null && _byWire.TryGetValue(wire, out code))
        {
            return true;
        }

        code = ErrorCode.None;
        return false;
    }

    // An undefined value (a cast from an int) gets a clear exception rather than an IndexOutOfRangeException.
    private static Entry Row(ErrorCode code) =>
        (uint)code < (uint)_table.Length
            ? _table[(int)code]
            : throw new ArgumentOutOfRangeException(nameof(code), code, "Not a defined error code.");

    private static Entry[] BuildTable()
    {
        Entry[] rows =
        [
            new(ErrorCode.None, "ok", "No error.", false),

            new(ErrorCode.ProtocolFrameTooLarge, "protocol.frame-too-large", "The frame is larger than the server accepts.", true),
            new(ErrorCode.ProtocolMalformedFrame, "protocol.malformed-frame", "The bytes received are not a well-formed frame.", true),
            new(ErrorCode.ProtocolReservedTag, "protocol.reserved-tag", "Tag 0 is reserved for frames the server sends on its own.", true),
            new(ErrorCode.SessionTimeout, "session.timeout", "The connection was idle too long, or did not log in within the login deadline.", true),
            new(ErrorCode.ServerBusy, "server.busy", "The server has too many connections; try again later.", true),
            new(ErrorCode.ServerShuttingDown, "server.shutting-down", "The server is shutting down.", true),
            new(ErrorCode.ControlDenied, "control.denied", "Only the daemon's own user and root may use the control socket.", true),

            new(ErrorCode.RequestMalformedJson, "request.malformed-json", "The request head is not valid JSON.", false),
            new(ErrorCode.RequestHeadTooLarge, "request.head-too-large", "The request head is larger than the server accepts.", false),
            new(ErrorCode.RequestTooDeep, "request.too-deep", "The request head is nested too deeply.", false),
            new(ErrorCode.RequestInvalid, "request.invalid", "The request is missing a field or has a field of the wrong kind.", false),
            new(ErrorCode.RequestUnknownCommand, "request.unknown-command", "The server does not know this command.", false),
            new(ErrorCode.RequestTooManyInFlight, "request.too-many-in-flight", "Too many requests are in flight on this connection.", false),
            new(ErrorCode.HelloVersionUnsupported, "hello.version-unsupported", "The server does not speak this protocol version.", false),
            new(ErrorCode.HelloRequired, "hello.required", "Send hello first.", false),

            new(ErrorCode.AuthRequired, "auth.required", "Log in first.", false),
            new(ErrorCode.AuthFailed, "auth.failed", "Unknown user or wrong password.", false),
            new(ErrorCode.AuthAlready, "auth.already", "This session is already logged in; log out first.", false),
            new(ErrorCode.RegisterDisabled, "register.disabled", "This server does not allow open registration.", false),

            new(ErrorCode.AccountExists, "account.exists", "An account with this address exists already.", false),
            new(ErrorCode.AccountInvalidAddress, "account.invalid-address", "Not an address on a domain this server serves.", false),
            new(ErrorCode.AccountWeakPassword, "account.weak-password", "The password is too short (at least 8 characters).", false),
            new(ErrorCode.AccountNotFound, "account.not-found", "No such account.", false),

            new(ErrorCode.FolderNotFound, "folder.not-found", "No such folder.", false),
            new(ErrorCode.FolderExists, "folder.exists", "A folder with this name exists already.", false),
            new(ErrorCode.FolderInvalidName, "folder.invalid-name", "Not a valid folder name.", false),
            new(ErrorCode.FolderNotEmpty, "folder.not-empty", "The folder holds messages or subfolders; delete recursively to remove them.", false),
            new(ErrorCode.FolderProtected, "folder.protected", "Default folders cannot be renamed or deleted.", false),

            new(ErrorCode.MessageNotFound, "message.not-found", "No such message.", false),
            new(ErrorCode.MessageNotDraft, "message.not-draft", "Only drafts can be replaced.", false),
            new(ErrorCode.MessageTooLarge, "message.too-large", "The message is larger than the server accepts.", false),
            new(ErrorCode.MessageInvalid, "message.invalid", "The message is not a valid RFC 5322 message.", false),
            new(ErrorCode.MessageEmpty, "message.empty", "The request carries no message.", false),

            new(ErrorCode.RecipientInvalid, "recipient.invalid", "A recipient is not a valid address.", false),
            new(ErrorCode.RecipientUnknown, "recipient.unknown", "A recipient has no account on this server.", false),
            new(ErrorCode.RecipientRemoteUnsupported, "recipient.remote-unsupported", "Delivery to other servers is not supported yet.", false),
            new(ErrorCode.RecipientNone, "recipient.none", "The message has no recipients.", false),
            new(ErrorCode.RecipientTooMany, "recipient.too-many", "The message has more recipients than the server accepts.", false),

            new(ErrorCode.RecipientRelayDenied, "recipient.relay-denied", "This server does not relay mail to other domains for this party.", false),
            new(ErrorCode.RecipientDomainUnreachable, "recipient.domain-unreachable", "The recipient's domain takes no mail: no Butterfly server and no mail host.", false),
            new(ErrorCode.MessageLoop, "message.loop", "The message has passed through too many hops; it is looping.", false),
            new(ErrorCode.PeerAuthFailed, "peer.auth-failed", "The peer could not prove that it speaks for the domain it claims.", false),
            new(ErrorCode.PeerDomainUnknown, "peer.domain-unknown", "This server does not serve the domain the peer asked for.", false),
            new(ErrorCode.PeerNotAuthenticated, "peer.not-authenticated", "Only an authenticated peer server may use this command.", false),
            new(ErrorCode.PeerSenderMismatch, "peer.sender-mismatch", "The envelope sender's domain is not the domain the peer proved.", false),
            new(ErrorCode.FilterRejected, "filter.rejected", "A filter refused the message.", false),
            new(ErrorCode.FilterTempFail, "filter.tempfail", "A filter could not decide now; try again later.", false),
            new(ErrorCode.FilterNotConfigured, "filter.not-configured", "No filter of this name is configured on this server.", false),
            new(ErrorCode.FilterInvalidVerdict, "filter.invalid-verdict", "The filter's answer is not a valid verdict.", false),
            new(ErrorCode.FilterClaimRefused, "filter.claim-refused", "The address cannot be claimed: it is an account, claimed already, or not on this server's domains.", false),
            new(ErrorCode.QueueNotFound, "queue.not-found", "No such queued message.", false),
            new(ErrorCode.StorageFull, "storage.full", "The server's disk is full; try again later. Deleting mail still works.", false),
            new(ErrorCode.QuotaExceeded, "quota.exceeded", "The recipient's mailbox is over its storage quota.", false),
            new(ErrorCode.AddressTaken, "address.taken", "An account, alias or list has this address already.", false),
            new(ErrorCode.AliasNotFound, "alias.not-found", "No such alias.", false),
            new(ErrorCode.ListNotFound, "list.not-found", "No such list.", false),
            new(ErrorCode.ListPostDenied, "list.post-denied", "The list does not accept posts from this sender.", false),
            new(ErrorCode.ListMemberExists, "list.member-exists", "The address is a member of the list already.", false),
            new(ErrorCode.ListMemberNotFound, "list.member-not-found", "The address is not a member of the list.", false),
            new(ErrorCode.StateTooOld, "state.too-old", "The state is older than the changes the server keeps; list folders and messages again.", false),
            new(ErrorCode.MessageFromNotOwned, "message.from-not-owned", "The message's From, Sender or Return-Path names an address this account does not own.", false),
            new(ErrorCode.PeerFromNotAligned, "peer.from-not-aligned", "The message's From domain does not align with the domain the peer proved.", false),
            new(ErrorCode.SearchBadQuery, "search.bad-query", "The search query is malformed.", false),
            new(ErrorCode.ServerInternal, "server.internal", "The server failed to carry out the request; nothing was changed.", false),
            new(ErrorCode.ScriptNotAllowed, "script.not-allowed", "The address may not have a script, or the account does not own it.", false),
            new(ErrorCode.ScriptNotFound, "script.not-found", "The address has no script.", false),
            new(ErrorCode.ScriptSyntax, "script.syntax", "The script does not parse; the old script stays.", false),
            new(ErrorCode.ScriptTooLarge, "script.too-large", "The script or state is larger than the server accepts.", false),
            new(ErrorCode.ScriptInvalidState, "script.invalid-state", "A script's state must be a JSON object.", false),
            new(ErrorCode.ScriptRejected, "script.rejected", "The address's script refused the message.", false),
            new(ErrorCode.ScriptFailed, "script.failed", "The address's script failed on the message after every retry.", false),
            new(ErrorCode.MessagePartNotFound, "message.part-not-found", "The message has no such part.", false),
        ];

        // The table is indexed by the enum's value: keep them in the same order.
        for (var i = 0; i < rows.Length; i++)
        {
            if ((int)rows[i].Code != i)
            {
                throw new InvalidOperationException($"Error table out of order at {rows[i].Code}.");
            }
        }

        return rows;
    }

    private readonly record struct Entry(ErrorCode Code, string Wire, string Message, bool Closes);
}
