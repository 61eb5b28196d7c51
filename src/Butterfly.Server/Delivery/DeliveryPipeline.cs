using System.Globalization;
using System.Security.Cryptography;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Configuration;
using Butterfly.Storage;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Delivery;

/// <summary>
/// The one path every message takes (DESIGN.md, "Delivery pipeline"): resolve recipients, add the
/// trace and missing Date and Message-ID fields, then store it for every local recipient and the
/// sender's Sent folder in one durable, group-committed transaction.
/// </summary>
internal sealed class DeliveryPipeline
{
    private readonly ButterflyOptions _options;
    private readonly MailStore _store;
    private readonly ILogger _logger;

    public DeliveryPipeline(ButterflyOptions options, MailStore store, ILoggerFactory loggers)
    {
        _options = options;
        _store = store;
        _logger = loggers.CreateLogger("Butterfly.Delivery");
        Intake = new MessageIntake(options);
    }

    /// <summary>Checks submitted messages.</summary>
    public MessageIntake Intake { get; }

    /// <summary>Delivers a submission, or refuses it whole: nothing is stored unless every recipient is accepted.</summary>
    /// <param name="submission">The message and its envelope.</param>
    public async Task<DeliveryOutcome> DeliverAsync(Submission submission)
    {
        var resolved = await ResolveAsync(submission.Recipients);
        if (resolved.Error != ErrorCode.None)
        {
            return DeliveryOutcome.Refused(resolved.Error, resolved.Problem!);
        }

        var now = DateTimeOffset.UtcNow;
        var raw = submission.Raw.Span;
        var newline = RawHeaders.LineEnding(raw);
        var parsed = submission.Parsed;
        var messageId = parsed.MessageId ?? NewMessageId();
        var prepend = TraceField(submission, resolved.Accounts, now, newline);
        if (parsed.Date is null && !parsed.Headers.Contains("Date"))
        {
            prepend += "Date: " + FormatDate(now) + newline;
        }

        if (parsed.MessageId is null && !parsed.Headers.Contains("Message-ID"))
        {
            prepend += "Message-ID: " + messageId + newline;
        }

        var content = RawHeaders.Rewrite(raw, parsed, prepend, submission.DropBcc ? "Bcc" : null);
        var summary = MessageIntake.Summarize(parsed, now, messageId);

        var targets = new List<DeliveryTarget>(resolved.Accounts.Count + 1);
        foreach (var account in resolved.Accounts)
        {
            targets.Add(new DeliveryTarget(account.Id, "Inbox", MessageFlags.None));
        }

        targets.Add(new DeliveryTarget(submission.SenderId, "Sent", MessageFlags.Seen));
        var copies = await _store.DeliverAsync(new Storage.Delivery(content, summary, targets, now));
        _logger.LogDebug(
            "Delivered {MessageId} from {Sender} to {Count} recipient(s), {Size} bytes",
            messageId,
            submission.Sender,
            resolved.Accounts.Count,
            content.Length);

        var sent = copies[^1];
        return new DeliveryOutcome(
            ErrorCode.None,
            null,
            messageId,
            sent.Id,
            resolved.Accounts.Select(a => (a.Address, "delivered")).ToArray());
    }

    private async Task<(ErrorCode Error, string? Problem, IReadOnlyList<Account> Accounts)> ResolveAsync(IReadOnlyList<string> recipients)
    {
        if (recipients.Count == 0)
        {
            return (ErrorCode.RecipientNone, ErrorCode.RecipientNone.DefaultMessage(), []);
        }

        if (recipients.Count > _options.Limits.MaxRecipients)
        {
            return (ErrorCode.RecipientTooMany, $"The message has {recipients.Count} recipients; this server accepts at most {_options.Limits.MaxRecipients}.", []);
        }

        var accounts = new List<Account>(recipients.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var recipient in recipients)
        {
            if (!Addresses.TryNormalize(recipient, out var address, out var domain))
            {
                return (ErrorCode.RecipientInvalid, $"'{Printable(recipient)}' is not a valid address.", []);
            }

            if (!seen.Add(address))
            {
                continue;
            }

            if (!_options.IsLocalDomain(domain))
            {
                return (ErrorCode.RecipientRemoteUnsupported, $"{address}: delivery to other servers ({domain}) is not supported yet.", []);
            }

            var account = await _store.FindAccountAsync(address);
            if (account is null)
            {
                return (ErrorCode.RecipientUnknown, $"{address}: no such account on this server.", []);
            }

            accounts.Add(account);
        }

        return (ErrorCode.None, null, accounts);
    }

    private string TraceField(Submission submission, IReadOnlyList<Account> accounts, DateTimeOffset now, string newline)
    {
        // RFC 5322 §3.6.7 trace field; "for" only when it names a single recipient, so it leaks no Bcc.
        // The id names this delivery in logs, and makes each delivery's stored content its own.
        Span<byte> id = stackalloc byte[8];
        RandomNumberGenerator.Fill(id);
        var forClause = accounts.Count == 1 ? $"{newline}\tfor <{accounts[0].Address}>" : string.Empty;
        return $"Received: from {submission.Remote} (authenticated as {submission.Sender}){newline}" +
               $"\tby {_options.EffectiveServerName} (Butterfly {ServerInfo.Version}) with BUTTERFLY id {Convert.ToHexStringLower(id)}{forClause};{newline}" +
               $"\t{FormatDate(now)}{newline}";
    }

    private string NewMessageId()
    {
        Span<byte> random = stackalloc byte[12];
        RandomNumberGenerator.Fill(random);
        return $"<{Convert.ToHexStringLower(random)}.{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}@{_options.EffectiveServerName}>";
    }

    internal static string FormatDate(DateTimeOffset date) =>
        date.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);

    private static string Printable(string text) =>
        new(text.Take(128).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
