namespace Butterfly.Storage;

/// <summary>
/// The parts of a message the search index and threading use, extracted by the caller (the store knows
/// no MIME): the readable body text, the attachments' file names and the thread header fields.
/// </summary>
/// <param name="Body">The body text (bounded by the caller).</param>
/// <param name="AttachmentNames">The attachments' file names; an attachment without a name counts with an empty one.</param>
/// <param name="InReplyTo">The first Message-ID of In-Reply-To, without angle brackets.</param>
/// <param name="References">The Message-IDs of References, oldest first, without angle brackets.</param>
public sealed record ContentText(string Body, IReadOnlyList<string> AttachmentNames, string? InReplyTo, IReadOnlyList<string> References)
{
    /// <summary>Text of a message with no body, attachments or thread fields.</summary>
    public static ContentText Empty { get; } = new(string.Empty, [], null, []);
}
