using Butterfly.Storage;

namespace Butterfly.Server.Filters;

/// <summary>The result of running a message through the filters of one stage, verdicts already applied.</summary>
/// <param name="Action">What to do with the message as a whole.</param>
/// <param name="Code">For reject and tempfail: the error code to report (a filter's own, or <c>filter.rejected</c>/<c>filter.tempfail</c>).</param>
/// <param name="Reason">For reject and tempfail: the reason in words, naming the filter.</param>
/// <param name="Message">The message after header edits and replacement (the input when unchanged).</param>
/// <param name="Recipients">The envelope recipients after additions and removals.</param>
/// <param name="Folders">Recipient → folder for recipients not to be filed in Inbox (quarantine, file-into). Key <c>*</c> means every recipient.</param>
/// <param name="Flags">Recipient → flags for the new copy. Key <c>*</c> means every recipient.</param>
/// <param name="Injections">New messages to deliver through the pipeline (one hop further).</param>
internal sealed record FilterOutcome(
    FilterAction Action,
    string? Code,
    string? Reason,
    ReadOnlyMemory<byte> Message,
    IReadOnlyList<string> Recipients,
    IReadOnlyDictionary<string, string> Folders,
    IReadOnlyDictionary<string, MessageFlags> Flags,
    IReadOnlyList<InjectedMessage> Injections)
{
    /// <summary>Nothing to do: deliver the message as it is.</summary>
    public static FilterOutcome Unchanged(ReadOnlyMemory<byte> message, IReadOnlyList<string> recipients) =>
        new(FilterAction.Accept, null, null, message, recipients, EmptyFolders, EmptyFlags, []);

    private static readonly IReadOnlyDictionary<string, string> EmptyFolders = new Dictionary<string, string>();
    private static readonly IReadOnlyDictionary<string, MessageFlags> EmptyFlags = new Dictionary<string, MessageFlags>();
}
