using Butterfly.Storage;

namespace Butterfly.Server.Filters;

/// <summary>A filter's verdict as read and checked from its reply (protocol/filter.md, "Verdicts").</summary>
/// <param name="Kind">accept, reject, tempfail, discard or quarantine.</param>
/// <param name="Code">For reject and tempfail: the filter's code, or null for the default.</param>
/// <param name="Reason">For reject and tempfail: the reason.</param>
/// <param name="Folder">For quarantine: the folder.</param>
/// <param name="Replace">The new whole message, or null.</param>
/// <param name="Headers">Header edits, in order.</param>
/// <param name="Add">Recipients to add (normalized).</param>
/// <param name="Remove">Recipients to remove (normalized).</param>
/// <param name="File">Recipient (or <c>*</c>) → folder.</param>
/// <param name="Flags">Recipient (or <c>*</c>) → flags.</param>
/// <param name="Inject">New messages to deliver.</param>
internal sealed record FilterVerdict(
    string Kind,
    string? Code,
    string? Reason,
    string? Folder,
    ReadOnlyMemory<byte>? Replace,
    IReadOnlyList<HeaderOp> Headers,
    IReadOnlyList<string> Add,
    IReadOnlyList<string> Remove,
    IReadOnlyList<KeyValuePair<string, string>> File,
    IReadOnlyList<KeyValuePair<string, MessageFlags>> Flags,
    IReadOnlyList<InjectedMessage> Inject);
