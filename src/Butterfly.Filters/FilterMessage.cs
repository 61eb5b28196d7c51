using System.Diagnostics.CodeAnalysis;
using Butterfly.Filters.Internal;
using MimeKit;

namespace Butterfly.Filters;

/// <summary>
/// One <c>filter.message</c> request (protocol/filter.md, "filter.message"): the envelope, the
/// server's summary, the raw bytes, and a MimeKit view of them parsed on first use.
/// </summary>
public sealed class FilterMessage
{
    private MimeView? _view;
    private object? _viewLock;

    /// <summary>The request id the server gave, for logs.</summary>
    public required string Id { get; init; }

    /// <summary>The stage: <c>inbound</c>, <c>outbound</c> or <c>claim</c>.</summary>
    public required string Stage { get; init; }

    /// <summary>The envelope sender (empty for bounces and notices).</summary>
    public required string Sender { get; init; }

    /// <summary>The envelope recipients (for <c>claim</c>: the claimed addresses).</summary>
    public required IReadOnlyList<string> Recipients { get; init; }

    /// <summary>Where the message entered the server: <c>local</c>, <c>peer</c> or <c>filter</c>.</summary>
    public required string Origin { get; init; }

    /// <summary>The sending local account, for origin <c>local</c>.</summary>
    public string? Account { get; init; }

    /// <summary>The proven peer domain, for origin <c>peer</c>.</summary>
    public string? Peer { get; init; }

    /// <summary>Delivery hops so far.</summary>
    public int Hops { get; init; }

    /// <summary>The From field, as written (from the server's summary: no parsing here).</summary>
    public string? From { get; init; }

    /// <summary>The To addresses (from the server's summary).</summary>
    public IReadOnlyList<string> To { get; init; } = [];

    /// <summary>The decoded subject (from the server's summary).</summary>
    public string? Subject { get; init; }

    /// <summary>The Message-ID (from the server's summary).</summary>
    public string? MessageId { get; init; }

    /// <summary>The message size in bytes.</summary>
    public long Size { get; init; }

    /// <summary>The raw RFC 5322 message, exactly as the server sent it. Reading <see cref="Mime"/> never changes it.</summary>
    public ReadOnlyMemory<byte> Raw { get; init; }

    /// <summary>
    /// The message parsed by MimeKit from <see cref="Raw"/>: on first access, once, whichever
    /// thread asks first (later and concurrent accesses get the same object). Nesting deeper than
    /// <see cref="MaxMimeDepth"/> is kept as opaque parts rather than parsed.
    /// </summary>
    /// <exception cref="FormatException">The bytes are not a message MimeKit can read (no header at all, say); <see cref="Raw"/> still holds them.</exception>
    public MimeMessage Mime
    {
        get
        {
            var view = View;
            return view.Message ?? throw new FormatException(view.Error);
        }
    }

    /// <summary>The deepest MIME nesting parsed, the same bound as the server's own scanner.</summary>
    public static int MaxMimeDepth => MimeView.MaxDepth;

    /// <summary>The MimeKit view, or why there is none, without throwing (the same single parse as <see cref="Mime"/>).</summary>
    /// <param name="message">The parsed message, when it could be read.</param>
    /// <param name="error">Why it could not, otherwise.</param>
    /// <returns>Whether <paramref name="message"/> is set.</returns>
    public bool TryGetMime([NotNullWhen(true)] out MimeMessage? message, [NotNullWhen(false)] out string? error)
    {
        var view = View;
        message = view.Message;
        error = view.Error;
        return message is not null;
    }

    /// <summary>
    /// The readable text, through MimeKit: the text body, or else the HTML body turned into text,
    /// or else empty. Throws like <see cref="Mime"/>.
    /// </summary>
    public string GetText() => MimeView.TextOf(Mime);

    private MimeView View => LazyInitializer.EnsureInitialized(ref _view, ref _viewLock, () => MimeView.Parse(Raw));
}
