using System.Text;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Mail;
using Butterfly.Storage;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Delivery;

/// <summary>Distribution lists: the fan-out of a post to the members.</summary>
internal sealed partial class DeliveryPipeline
{
    /// <summary>
    /// Queues each accepted list post for its members, in the same transaction as the post's acceptance:
    /// the message with <c>List-Id</c>, <c>List-Post</c> and <c>List-Unsubscribe</c> added (RFC 2919,
    /// RFC 2369) goes round the pipeline again, one hop further, as mail from the list's owner (so bounces
    /// reach the owner), and reaches local members as copies and remote ones through the outbound queue.
    /// All of them share one stored content.
    /// </summary>
    private void PlanLists(Plan plan, Envelope envelope, ReadOnlyMemory<byte> content, Route route)
    {
        foreach (var (address, list) in route.Lists)
        {
            if (Intake.Check(content, out var parsed, out var problem) != ErrorCode.None)
            {
                plan.Results.Add(Failure(address, RecipientStatus.Rejected, ErrorCode.MessageInvalid, $"{address}: {problem}"));
                continue;
            }

            var listId = ListId(list.Address);
            if (parsed!.Headers.GetAll("List-Id").Any(h => h.DecodedValue.Contains(listId, StringComparison.OrdinalIgnoreCase)))
            {
                // The list's own post came back to it (a member that forwards to the list): stop here.
                _logger.LogWarning("Post to {List} from {Sender} already went through the list; not distributed again", list.Address, envelope.Sender);
                plan.Results.Add(Failure(address, RecipientStatus.Rejected, ErrorCode.MessageLoop, $"{address}: the message went through this list already."));
                continue;
            }

            plan.Results.Add(new RecipientResult(address, RecipientStatus.Delivered, null, null));
            if (list.Members.Count == 0)
            {
                continue;
            }

            var newline = RawHeaders.LineEnding(content.Span);
            var fields = new StringBuilder()
                .Append("List-Id: ").Append(listId).Append(newline)
                .Append("List-Post: <mailto:").Append(list.Address).Append('>').Append(newline)
                .Append("List-Unsubscribe: <mailto:").Append(list.Owner).Append("?subject=unsubscribe%20").Append(list.Address).Append('>').Append(newline);
            var drop = FromForMembers(parsed, list.Address, newline, fields);
            var post = RawHeaders.Rewrite(content.Span, parsed, fields.ToString(), drop);
            var fanOut = new Envelope(list.Owner, list.Members, MessageOrigin.Filter, null, null, envelope.Hops + 1);
            plan.Enqueue.Add(new QueueEntry(
                QueueKind.Inbound, NewDeliveryId(), null, list.Owner, list.OwnerId, list.Members, envelope.Hops + 1, plan.Now, post,
                HeldMeta.Write(fanOut, null)));
            _logger.LogDebug("Post to {List} from {Sender} queued for {Members} members", list.Address, envelope.Sender, list.Members.Count);
        }
    }

    /// <summary>
    /// A post From an address outside our domains is sent on From the list (<c>"Bob via team"
    /// &lt;team@example.org&gt;</c>), with the author in <c>Reply-To</c> when the post names none: peers
    /// accept mail from us only when its From aligns with our domain (protocol/peer.md, "Sender check"),
    /// as DMARC receivers do, so a list relaying a stranger's From would be refused. Posts From our own
    /// domains keep their From. Returns the fields to drop from the original.
    /// </summary>
    private string[] FromForMembers(Butterfly.Mime.MimeMessage parsed, string listAddress, string newline, StringBuilder fields)
    {
        var authors = parsed.From;
        if (authors.Count > 0 && authors.All(a => _options.IsLocalDomain(a.Domain)))
        {
            return [];
        }

        var author = authors.Count > 0 ? authors[0] : null;
        var name = $"{author?.Name ?? author?.Address ?? "someone"} via {listAddress[..listAddress.IndexOf('@', StringComparison.Ordinal)]}";
        fields.Append("From: ").Append(new MimeKit.MailboxAddress(name, listAddress).ToString(MimeKit.FormatOptions.Default, encode: true)).Append(newline);
        if (author is not null && parsed.Headers.GetAll("Reply-To").Count == 0)
        {
            fields.Append("Reply-To: ").Append(new MimeKit.MailboxAddress(author.Name, author.Address).ToString(MimeKit.FormatOptions.Default, encode: true)).Append(newline);
        }

        return ["From"];
    }

    /// <summary>RFC 2919's list identifier: <c>&lt;local.domain&gt;</c>.</summary>
    private static string ListId(string address)
    {
        var at = address.LastIndexOf('@');
        return $"<{address[..at]}.{address[(at + 1)..]}>";
    }
}
