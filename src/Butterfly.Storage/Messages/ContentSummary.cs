namespace Butterfly.Storage;

/// <summary>Header fields of a message, extracted by the caller and stored with its content.</summary>
/// <param name="From">The From address.</param>
/// <param name="To">The To addresses.</param>
/// <param name="Cc">The Cc addresses.</param>
/// <param name="Subject">The decoded subject.</param>
/// <param name="Date">The Date header.</param>
/// <param name="MessageId">The Message-ID header.</param>
public sealed record ContentSummary(string? From, IReadOnlyList<string> To, IReadOnlyList<string> Cc, string? Subject, DateTimeOffset? Date, string? MessageId)
{
    /// <summary>A summary with no fields.</summary>
    public static ContentSummary Empty { get; } = new(null, [], [], null, null, null);

    /// <summary>What the search index and threading need beyond the listed fields; null when not extracted (reads give none).</summary>
    public ContentText? Text { get; init; }
}
