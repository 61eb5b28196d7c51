using System.Text;
using Butterfly.Filters;
using Butterfly.Mime;

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
    private readonly string _listId;
    private readonly string _prefix;
    private readonly MemberList _members;

    public ListHandler(string list, MemberList members)
    {
        _list = list;
        _members = members;
        var at = list.IndexOf('@', StringComparison.Ordinal);
        _prefix = "[" + list[..at] + "] ";
        _listId = "<" + list[..at] + "." + list[(at + 1)..] + ">";
    }

    public ValueTask<Verdict> HandleAsync(FilterMessage message, FilterContext context, CancellationToken ct)
    {
        var sender = message.Sender;

        // A copy that comes back to the list (or a bounce with no sender) must not be posted again.
        if (sender.Length == 0 || string.Equals(sender, _list, StringComparison.OrdinalIgnoreCase))
        {
            return ValueTask.FromResult(Verdict.Discard());
        }

        var parsed = message.Parse();
        switch (parsed.Subject?.Trim().ToLowerInvariant())
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

        // Every copy has the same bytes: build it once, inject it once per member.
        var copy = Copy(parsed);
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

    private byte[] Copy(MimeMessage post)
    {
        var subject = post.Subject ?? "";
        var builder = new MessageBuilder
        {
            From = post.From.Count > 0 ? post.From[0] : new MailboxAddress(null, _list),
            Subject = subject.StartsWith(_prefix.TrimEnd(), StringComparison.OrdinalIgnoreCase) ? subject : _prefix + subject,
            InReplyTo = post.InReplyTo,
            TextBody = Trim(post.GetText()),
        };
        builder.To.Add(new MailboxAddress(null, _list));
        builder.ReplyTo.Add(new MailboxAddress(null, _list));
        foreach (var reference in post.References)
        {
            builder.References.Add(reference);
        }

        return WithListFields(builder.ToBytes());
    }

    private byte[] Notice(string to, string text)
    {
        var builder = new MessageBuilder { From = new MailboxAddress(null, _list), Subject = text, TextBody = text };
        builder.To.Add(new MailboxAddress(null, to));
        return WithListFields(builder.ToBytes());
    }

    // MessageBuilder writes the standard fields; the list fields (RFC 2919, RFC 2369) go on top.
    // "Precedence: list" keeps well-behaved auto-responders (such as the vacation example) quiet.
    private byte[] WithListFields(byte[] message)
    {
        var fields = Encoding.ASCII.GetBytes(
            $"List-Id: {_listId}\r\nList-Post: <mailto:{_list}>\r\nList-Unsubscribe: <mailto:{_list}?subject=unsubscribe>\r\nPrecedence: list\r\n");
        return [.. fields, .. message];
    }
}
