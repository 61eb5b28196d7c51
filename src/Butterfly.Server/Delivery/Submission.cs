using Butterfly.Mime;

namespace Butterfly.Server.Delivery;

/// <summary>A message handed to the delivery pipeline by a logged-in client.</summary>
/// <param name="SenderId">The sending account's id (it gets the copy in Sent).</param>
/// <param name="Sender">The envelope sender: always the logged-in account.</param>
/// <param name="Recipients">Envelope recipients as given.</param>
/// <param name="Raw">The message as submitted.</param>
/// <param name="Parsed">The parsed message.</param>
/// <param name="DropBcc">Whether to remove the Bcc field before delivery.</param>
/// <param name="Remote">The client's address, for the trace field.</param>
internal sealed record Submission(
    long SenderId,
    string Sender,
    IReadOnlyList<string> Recipients,
    ReadOnlyMemory<byte> Raw,
    MimeMessage Parsed,
    bool DropBcc,
    string Remote)
{
    /// <summary>The client's submission id (protocol/client.md, "Submission ids"); null when it gave none.</summary>
    public string? SubmissionId { get; init; }
}
