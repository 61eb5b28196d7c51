namespace Butterfly.Client;

/// <summary>
/// A message to send (protocol/client.md, "send"): either simple fields (<see cref="To"/>,
/// <see cref="Cc"/>, <see cref="Bcc"/>, <see cref="Subject"/>, <see cref="Text"/>) from which the
/// server composes the message, or a <see cref="Raw"/> RFC 5322 message with optional envelope
/// recipients in <see cref="Rcpt"/>.
/// </summary>
public sealed class SendRequest
{
    /// <summary>To addresses (simple form).</summary>
    public IReadOnlyList<string> To { get; init; } = [];

    /// <summary>Cc addresses (simple form).</summary>
    public IReadOnlyList<string> Cc { get; init; } = [];

    /// <summary>Bcc addresses (simple form).</summary>
    public IReadOnlyList<string> Bcc { get; init; } = [];

    /// <summary>The subject (simple form).</summary>
    public string? Subject { get; init; }

    /// <summary>The plain-text body (simple form).</summary>
    public string? Text { get; init; }

    /// <summary>A raw RFC 5322 message; when set, the simple fields are not sent.</summary>
    public ReadOnlyMemory<byte> Raw { get; init; }

    /// <summary>Envelope recipients for a raw message; null to take them from its To, Cc and Bcc fields.</summary>
    public IReadOnlyList<string>? Rcpt { get; init; }

    /// <summary>
    /// The submission id (protocol/client.md, "Submission ids"): a repeat with the same id gets the
    /// first answer and stores nothing new. Null: <see cref="ButterflyClient.SendAsync(SendRequest, CancellationToken)"/> makes a new
    /// one (<see cref="SubmissionIds.New"/>); set it yourself to retry a send whose reply was lost.
    /// </summary>
    public string? SubmissionId { get; init; }

    /// <summary>True when this request carries a raw message.</summary>
    public bool IsRaw => !Raw.IsEmpty;
}
