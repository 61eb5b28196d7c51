namespace Butterfly.Storage;

/// <summary>
/// A parsed search (<see cref="SearchQueryParser"/>): text terms, all of which must match, and filters.
/// Without <see cref="Folder"/> every folder but Trash and Junk is searched.
/// </summary>
public sealed record SearchQuery
{
    /// <summary>Words and phrases, all required.</summary>
    public IReadOnlyList<SearchTerm> Terms { get; init; } = [];

    /// <summary>Only this folder (<c>in:</c>); null for all but Trash and Junk.</summary>
    public string? Folder { get; init; }

    /// <summary>Only messages with all of these flags (<c>is:flagged</c>, <c>is:read</c>).</summary>
    public MessageFlags WithFlags { get; init; }

    /// <summary>Only messages with none of these flags (<c>is:unread</c>, <c>is:unflagged</c>).</summary>
    public MessageFlags WithoutFlags { get; init; }

    /// <summary>Only messages with at least one attachment (<c>has:attachment</c>).</summary>
    public bool HasAttachment { get; init; }

    /// <summary>Only messages received at or after this instant (<c>after:</c>).</summary>
    public DateTimeOffset? After { get; init; }

    /// <summary>Only messages received before this instant (<c>before:</c>).</summary>
    public DateTimeOffset? Before { get; init; }
}
