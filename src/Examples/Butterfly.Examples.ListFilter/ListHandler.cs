using Butterfly.Filters;
using MimeKit;
using MimeKit.Utils;

namespace Butterfly.Examples.ListFilter;

/// <summary>
/// Handles mail to the claimed list address (protocol/filter.md, "Claimed addresses"): whatever
/// the verdict, nothing is stored for the list address itself, so a post becomes one injected
/// copy per member plus a discard of the original.
/// </summary>
internal sealed class ListHandler
{
    /// <summary>The most text a copy carries (Thwonk: short messages only).</summary>
    public const int MaxTextLength = 140;

    private readonly string _list;
    private readonly string _domain;
    private readonly string _listId;
    private readonly string _prefix;
    private readonly MemberList _members;
    private readonly TimeProvider _clock;

    public ListHandler(string list, MemberList members, TimeProvider clock)
    {
        _list = list;
        _members = members;
        _clock = clock;
        var at = list.IndexOf('@', StringComparison.Ordinal);
        _domain = list[(at + 1)..];
        _prefix = "[" + list[..at] + "] ";
        _listId = "<" + list[..at] + "." + _domain + ">";
    }

    public ValueTask<Verdict> HandleAsync(FilterMessage message, FilterContext context, CancellationToken ct)
    {
        var sender = message.Sender;

        // A copy that comes back to the list (or a bounce with no sender) must not be posted again.
        if (sender.Length == 0 || string.Equals(sender, _list, StringComparison.OrdinalIgnoreCase))
        {
            return ValueTask.FromResult(Verdict.Discard());
        }

        var post = message.Mime;
        switch (post.Subject?.Trim().ToLowerInvariant())
        {
            case "subscribe":
                _members.Add(sender);
                return ValueTask.FromResult(Verdict.Discard().Inject(_list, [sender], Notice(sender, $"You are subscribed to {_list}.")));
            case "unsubscribe":
                _members.Remove(sender);
                return ValueTask.FromResult(Verdict.Discard().Inject(_list, [sender], Notice(sender, $"You are unsubscribed from {_list}.")));
        }

        var members = _members.Read();
        if (!members.Contains(sender, StringComparer.OrdinalIgnoreCase))
        {
            return ValueTask.FromResult(Verdict.Reject($"only members may post to {_list}; send \"subscribe\" as the subject to join"));
        }

        // Every copy has the same bytes: write it once, inject it once per member.
        var copy = MessageBytes.Of(Copy(post, message.GetText()));
        var verdict = Verdict.Discard();
        foreach (var member in members)
        {
            verdict.Inject(_list, [member], copy);
        }

        return ValueTask.FromResult(verdict);
    }

    /// <summary>The text cut to <see cref="MaxTextLength"/> characters, never inside a surrogate pair.</summary>
    public static string Trim(string text)
    {
        text = text.Trim();
        if (text.Length <= MaxTextLength)
        {
            return text;
        }

        var cut = char.IsHighSurrogate(text[MaxTextLength - 1]) ? MaxTextLength - 1 : MaxTextLength;
        return text[..cut];
    }

    private MimeMessage Copy(MimeMessage post, string text)
    {
        var copy = NewMessage();
        copy.From.AddRange(post.From.Count > 0 ? post.From : [ListAddress()]);
        copy.To.Add(ListAddress());
        copy.ReplyTo.Add(ListAddress());
        var subject = post.Subject ?? string.Empty;

        // A reply ("Re: [list] ...") already carries the prefix: it is not added twice.
        copy.Subject = subject.Contains(_prefix.TrimEnd(), StringComparison.OrdinalIgnoreCase) ? subject : _prefix + subject;

        // The copy threads where the post did.
        copy.InReplyTo = post.InReplyTo;
        copy.References.AddRange(post.References);
        copy.Body = new BodyBuilder { TextBody = Trim(text) }.ToMessageBody();
        return copy;
    }

    private MimeMessage Notice(string to, string text)
    {
        var notice = NewMessage();
        notice.From.Add(ListAddress());
        notice.To.Add(new MailboxAddress(string.Empty, to));
        notice.Subject = text;

        // An answer the list wrote by itself (RFC 3834, section 5): no auto-responder answers it.
        notice.Headers.Add("Auto-Submitted", "auto-replied");
        notice.Body = new BodyBuilder { TextBody = text }.ToMessageBody();
        return notice;
    }

    // The list's own fields (RFC 2919 List-Id, RFC 2369 List-*) on every message it sends.
    // "Precedence: list" keeps well-behaved auto-responders (such as the vacation example) quiet.
    private MimeMessage NewMessage()
    {
        var message = new MimeMessage { Date = _clock.GetUtcNow(), MessageId = MimeUtils.GenerateMessageId(_domain) };
        message.Headers.Add("List-Id", _listId);
        message.Headers.Add("List-Post", $"<mailto:{_list}>");
        message.Headers.Add("List-Subscribe", $"<mailto:{_list}?subject=subscribe>");
        message.Headers.Add("List-Unsubscribe", $"<mailto:{_list}?subject=unsubscribe>");
        message.Headers.Add("Precedence", "list");
        return message;
    }

    private MailboxAddress ListAddress() => new(string.Empty, _list);
}
