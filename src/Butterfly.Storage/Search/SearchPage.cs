namespace Butterfly.Storage;

/// <summary>One page of search results, newest received first.</summary>
/// <param name="Messages">The matches of this page, each with its folder.</param>
/// <param name="Next">The offset of the next page, or null on the last.</param>
public sealed record SearchPage(IReadOnlyList<MessageItem> Messages, long? Next);
