namespace Butterfly.Client;

/// <summary>A distribution list, as <c>mailing-list.*</c> describes it.</summary>
/// <param name="Address">The list's address.</param>
/// <param name="Owner">The owning account.</param>
/// <param name="Policy">Who may post: <c>members</c>, <c>anyone</c> or <c>owner</c>.</param>
/// <param name="Members">The members' addresses.</param>
public sealed record MailingListInfo(string Address, string Owner, string Policy, IReadOnlyList<string> Members);
