namespace Butterfly.Storage;

/// <summary>One page of a folder listing, newest first.</summary>
/// <param name="Folder">Canonical folder name.</param>
/// <param name="Total">Number of messages in the folder.</param>
/// <param name="Messages">The messages of this page, ids descending.</param>
/// <param name="Next">The <c>before</c> value for the next page, or null on the last page.</param>
public sealed record MessagePage(string Folder, long Total, IReadOnlyList<MessageItem> Messages, long? Next);
