using System.Buffers;
using Butterfly.Protocol.Contracts;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Delivery;
using Butterfly.Server.Mail;
using Butterfly.Server.Wire;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Commands;

/// <summary>peer.auth, peer.verify and peer.deliver (protocol/peer.md).</summary>
internal static class PeerCommands
{
    private const int MaxDomainLength = 253;
    private const int MaxKeyLength = 128;
    private const int MaxIdLength = 128;

    // Lists longer than this are refused as malformed; below it the recipient limit gives recipient.too-many.
    private const int MaxListLength = 10_000;

    private static readonly SearchValues<char> _idCharacters =
        SearchValues.Create("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_.");

    /// <summary>peer.md, "peer.auth": the sending server proves it speaks for <c>from</c>.</summary>
    public static async ValueTask<Reply> AuthAsync(CommandContext context)
    {
        var services = context.Services;
        if (services.Dialback is not { } dialback)
        {
            return Reply.Fail(ErrorCode.PeerAuthFailed, "This server does not accept peer servers.");
        }

        if (!Fields.TryString(context.Head, "from", out var from, out var error)
            || !Fields.TryString(context.Head, "to", out var to, out error)
            || !Fields.TryString(context.Head, "key", out var key, out error)
            || !Fields.TryString(context.Head, "resume", out var resume, out error, required: false))
        {
            return error;
        }

        from = from.Trim().ToLowerInvariant();
        to = to.Trim().ToLowerInvariant();
        if (from.Length > MaxDomainLength || Uri.CheckHostName(from) != UriHostNameType.Dns)
        {
            return Fields.Invalid("from", "a domain name");
        }

        if (!services.Options.IsLocalDomain(to))
        {
            return Reply.Fail(ErrorCode.PeerDomainUnknown, $"This server does not serve '{Truncate(to)}'.");
        }

        if (services.Options.IsLocalDomain(from))
        {
            // A server does not peer with itself; a client claiming a local domain is not a peer either.
            return Reply.Fail(ErrorCode.PeerAuthFailed, $"{from} is served here.");
        }

        if (key.Length is 0 or > MaxKeyLength || resume.Length > MaxIdLength)
        {
            return Reply.Fail(ErrorCode.PeerAuthFailed);
        }

        var session = context.Session;

        // peer.md, "Dialback": the callback has until the login deadline, not the peer request timeout.
        var left = session.Started + (long)(services.Options.Limits.LoginTimeoutSeconds * 1000) - Environment.TickCount64;
        if (left <= 0)
        {
            return Reply.Fail(ErrorCode.PeerAuthFailed, "The login deadline of this connection has passed.");
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.Aborted);
        deadline.CancelAfter(TimeSpan.FromMilliseconds(left));
        var resuming = resume.Length > 0;
        var (result, reason) = await dialback.AuthenticateAsync(
            from, to, resuming ? resume : session.ConnectionId, key, resuming, session.RemoteAddress, deadline.Token);
        if (result == ErrorCode.ServerBusy)
        {
            return Reply.Fail(result, $"{char.ToUpperInvariant(reason[0])}{reason[1..]}.");
        }

        if (result != ErrorCode.None)
        {
            return Reply.Fail(result, $"{from} is not proven: {reason}.");
        }

        session.SetPeer(from);
        return JsonReply.Ok(new PeerAuthReply(from, to), ProtocolJson.Default.PeerAuthReply);
    }

    /// <summary>peer.md, "peer.verify": the authoritative server confirms (or not) a key it made.</summary>
    public static ValueTask<Reply> VerifyAsync(CommandContext context)
    {
        var services = context.Services;
        if (services.Dialback is not { } dialback)
        {
            return ValueTask.FromResult(Reply.Fail(ErrorCode.PeerAuthFailed, "This server does not take part in federation."));
        }

        if (!Fields.TryString(context.Head, "from", out var from, out var error)
            || !Fields.TryString(context.Head, "to", out var to, out error)
            || !Fields.TryString(context.Head, "connection", out var connection, out error)
            || !Fields.TryString(context.Head, "key", out var key, out error))
        {
            return ValueTask.FromResult(error);
        }

        var valid = key.Length <= MaxKeyLength
            && connection.Length <= MaxIdLength
            && dialback.Verify(from.Trim().ToLowerInvariant(), to.Trim().ToLowerInvariant(), connection, key);
        services.Logger.LogInformation(
            "peer.verify from {Remote}: {From} -> {To} {Result}", context.Session.RemoteEndPoint, Truncate(from), Truncate(to), valid ? "valid" : "invalid");
        return ValueTask.FromResult(valid ? ValidReply : InvalidReply);
    }

    /// <summary>peer.md, "peer.deliver": one message for one or more recipients here.</summary>
    public static async ValueTask<Reply> DeliverAsync(CommandContext context)
    {
        var services = context.Services;
        var session = context.Session;

        // The command table has checked that the session is a peer session (peer.not-authenticated).
        var peer = session.PeerDomain!;
        if (!Fields.TryString(context.Head, "id", out var id, out var error)
            || !Fields.TryString(context.Head, "from", out var from, out error)
            || !Fields.TryStrings(context.Head, "rcpt", MaxListLength, out var rcpt, out error)
            || !Fields.TryLong(context.Head, "hops", out var hops, out error, min: 0, max: 1_000))
        {
            return error;
        }

        if (id.Length is 0 or > MaxIdLength || id.AsSpan().ContainsAnyExcept(_idCharacters))
        {
            return Fields.Invalid("id", $"1 to {MaxIdLength} letters, digits, '-', '_' or '.'");
        }

        // peer.md, "Sender check": the envelope sender must be on the proven domain; the null sender
        // (delivery reports) is allowed from any proven peer.
        if (from.Length > 0 && (!Addresses.TryNormalize(from, out _, out var senderDomain) || !string.Equals(senderDomain, peer, StringComparison.OrdinalIgnoreCase)))
        {
            services.Logger.LogWarning("peer.deliver {Id} from {Peer} refused: sender {Sender} is not on {Peer}", id, peer, Truncate(from), peer);
            return Reply.Fail(ErrorCode.PeerSenderMismatch, $"The sender '{Truncate(from)}' is not on {peer}, the domain this connection proved.");
        }

        if (rcpt.Count == 0)
        {
            return Reply.Fail(ErrorCode.RecipientNone);
        }

        var maxRecipients = services.Options.Limits.MaxRecipients;
        if (rcpt.Count > maxRecipients)
        {
            return Reply.Fail(ErrorCode.RecipientTooMany, $"At most {maxRecipients} recipients per message.");
        }

        var hopCount = (int)(hops ?? 0);
        if (hopCount > services.Options.Limits.MaxHops)
        {
            return Reply.Fail(ErrorCode.MessageLoop, $"The message has passed {hopCount} servers; the limit is {services.Options.Limits.MaxHops}.");
        }

        // Size first, then a parse under the MIME limits, as for send.
        var check = services.Delivery.Intake.Check(context.Body, out var parsed, out var problem);
        if (check != ErrorCode.None)
        {
            return Reply.Fail(check, problem ?? check.DefaultMessage());
        }

        return await DeliverCheckedAsync(context, new PeerDelivery(peer, id, from, rcpt, hopCount, context.Body, parsed!, session.RemoteAddress));
    }

    private static Reply ValidReply { get; } = JsonReply.Ok(new PeerVerifyReply(true), ProtocolJson.Default.PeerVerifyReply);

    private static Reply InvalidReply { get; } = JsonReply.Ok(new PeerVerifyReply(false), ProtocolJson.Default.PeerVerifyReply);

    private static async ValueTask<Reply> DeliverCheckedAsync(CommandContext context, PeerDelivery delivery)
    {
        // Acknowledged only once durable: the pipeline returns after the store's commit
        // (peer.md, "Exactly once").
        var outcome = await context.Services.Delivery.DeliverFromPeerAsync(delivery, context.Aborted);
        var delivered = outcome.Results.Count(r => r.Status == RecipientStatus.Delivered);
        context.Services.Logger.LogInformation(
            "peer.deliver {Id} from {Peer}: {Delivered} of {Count} delivered{Duplicate}",
            delivery.DeliveryId,
            delivery.PeerDomain,
            delivered,
            outcome.Results.Count,
            outcome.Duplicate ? " (duplicate: original answer)" : string.Empty);
        return JsonReply.Ok(
            new PeerDeliverReply(delivery.DeliveryId, outcome.Duplicate, PeerResultsJson.ToWire(outcome.Results)),
            ProtocolJson.Default.PeerDeliverReply);
    }

    private static string Truncate(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
