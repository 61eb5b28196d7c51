namespace Butterfly.Client;

/// <summary>The outcome of <c>send</c>.</summary>
/// <param name="MessageId">The Message-ID of the sent message.</param>
/// <param name="SentFolder">The folder holding the sender's copy (normally <c>Sent</c>).</param>
/// <param name="SentId">The id of the sender's copy.</param>
/// <param name="Recipients">The outcome per recipient.</param>
public sealed record SendResult(string MessageId, string SentFolder, long SentId, IReadOnlyList<RecipientStatus> Recipients);
