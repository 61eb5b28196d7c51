using Butterfly.Mime.Internal;

namespace Butterfly.Mime;

/// <summary>
/// A parsed Internet message (RFC 5322 / MIME). Header values are decoded when first asked for;
/// bodies stay as byte ranges of the input until decoded on request. Instances are immutable
/// and safe to read from several threads.
/// </summary>
public sealed partial class MimeMessage
{
    private readonly ReadOnlyMemory<byte> _source;
    private IReadOnlyList<MailboxAddress>? _from, _to, _cc, _bcc, _replyTo;
    private string? _subject;
    private bool _subjectDone;
    private DateTimeOffset? _date;
    private bool _dateDone;

    internal MimeMessage(MimeEntity body, ReadOnlyMemory<byte> source)
    {
        Body = body;
        _source = source;
    }

    /// <summary>The message header fields (raw and decoded access; <c>Headers["Subject"]</c> gives the decoded value).</summary>
    public HeaderList Headers => Body.Headers;

    /// <summary>The From mailboxes.</summary>
    public IReadOnlyList<MailboxAddress> From => _from ??= Addresses("From");

    /// <summary>The To mailboxes (groups flattened, every To field joined).</summary>
    public IReadOnlyList<MailboxAddress> To => _to ??= Addresses("To");

    /// <summary>The Cc mailboxes.</summary>
    public IReadOnlyList<MailboxAddress> Cc => _cc ??= Addresses("Cc");

    /// <summary>The Bcc mailboxes.</summary>
    public IReadOnlyList<MailboxAddress> Bcc => _bcc ??= Addresses("Bcc");

    /// <summary>The Reply-To mailboxes.</summary>
    public IReadOnlyList<MailboxAddress> ReplyTo => _replyTo ??= Addresses("Reply-To");

    /// <summary>The Subject with RFC 2047 encoded words decoded, or null.</summary>
    public string? Subject
    {
        get
        {
            // Volatile: another thread that sees the flag must also see the value.
            if (!Volatile.Read(ref _subjectDone))
            {
                _subject = Headers["Subject"];
                Volatile.Write(ref _subjectDone, true);
            }

            return _subject;
        }
    }

    /// <summary>The Date, or null when absent or unparsable.</summary>
    public DateTimeOffset? Date
    {
        get
        {
            if (!Volatile.Read(ref _dateDone))
            {
                _date = DateParser.Parse(Headers.GetFirst("Date")?.Value);
                Volatile.Write(ref _dateDone, true);
            }

            return _date;
        }
    }

    /// <summary>The Message-ID with its angle brackets, e.g. "&lt;a@b&gt;", or null.</summary>
    public string? MessageId => MessageIds.ParseFirst(Headers.GetFirst("Message-ID")?.Value);

    /// <summary>The first message id of In-Reply-To, with angle brackets, or null.</summary>
    public string? InReplyTo => MessageIds.ParseFirst(Headers.GetFirst("In-Reply-To")?.Value);

    /// <summary>The message ids of References, in order, with angle brackets.</summary>
    public IReadOnlyList<string> References => MessageIds.ParseAll(Headers.GetFirst("References")?.Value);

    /// <summary>The byte length of the header block, the blank line included.</summary>
    public int HeaderLength => Body.HeaderLength;

    /// <summary>The top-level entity: the root of the MIME tree (its headers are the message headers).</summary>
    public MimeEntity Body { get; }

    /// <summary>The message as in the input.</summary>
    public ReadOnlyMemory<byte> RawMessage => _source.Slice(Body.Offset, Body.Length);

    private List<MailboxAddress> Addresses(string name)
    {
        var all = Headers.GetAll(name);
        if (all.Count == 0)
        {
            return [];
        }

        var list = new List<MailboxAddress>();
        foreach (var h in all)
        {
            list.AddRange(AddressParser.ParseList(h.Value));
        }

        return list;
    }
}
