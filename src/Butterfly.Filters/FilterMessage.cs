using Butterfly.Mime;

namespace Butterfly.Filters;

/// <summary>One <c>filter.message</c> request: the envelope, the summary and the raw message (protocol/filter.md, "filter.message").</summary>
public sealed class FilterMessage
{
    private MimeMessage? _parsed;

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

    /// <summary>The From field, as written.</summary>
    public string? From { get; init; }

    /// <summary>The To addresses.</summary>
    public IReadOnlyList<string> To { get; init; } = [];

    /// <summary>The decoded subject.</summary>
    public string? Subject { get; init; }

    /// <summary>The Message-ID.</summary>
    public string? MessageId { get; init; }

    /// <summary>The message size in bytes.</summary>
    public long Size { get; init; }

    /// <summary>The raw RFC 5322 message.</summary>
    public ReadOnlyMemory<byte> Raw { get; init; }

    /// <summary>Parses <see cref="Raw"/> (once; later calls return the same object).</summary>
    /// <exception cref="FormatException">The message cannot be parsed.</exception>
    public MimeMessage Parse()
    {
        if (_parsed is not null)
        {
            return _parsed;
        }

        var error = MimeMessage.TryParse(Raw, out var parsed);
        if (error != MimeError.None || parsed is null)
        {
            throw new FormatException("The message cannot be parsed: " + error.Describe());
        }

        return _parsed = parsed;
    }
}
