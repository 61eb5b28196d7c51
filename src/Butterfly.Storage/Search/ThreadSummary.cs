namespace Butterfly.Storage;

/// <summary>One conversation in a folder, as <c>list --threads</c> shows it.</summary>
/// <param name="ThreadId">The thread's id in the account.</param>
/// <param name="Messages">How many of its messages are in the folder.</param>
/// <param name="Unseen">How many of those are unseen.</param>
/// <param name="Latest">Its newest message in the folder.</param>
public sealed record ThreadSummary(long ThreadId, long Messages, long Unseen, MessageItem Latest);
