using Butterfly.Protocol.Errors;

namespace Butterfly.Server.Delivery;

/// <summary>What became of a submission: refused with an error, or durable for every recipient.</summary>
/// <param name="Error">The refusal, or <see cref="ErrorCode.None"/>.</param>
/// <param name="Problem">The refusal in words, naming the recipient at fault.</param>
/// <param name="MessageId">The Message-ID the delivered message carries.</param>
/// <param name="SentId">The id of the sender's copy in Sent (0 when there is none).</param>
/// <param name="Recipients">Each recipient and its status.</param>
internal sealed record DeliveryOutcome(
    ErrorCode Error,
    string? Problem,
    string? MessageId,
    long SentId,
    IReadOnlyList<(string Address, string Status)> Recipients)
{
    /// <summary>The wire code when a filter gave its own (else the table's code for <see cref="Error"/>).</summary>
    public string? WireCode { get; init; }

    /// <summary>How mail for each remote domain leaves, when it was looked up at send time.</summary>
    public IReadOnlyDictionary<string, RemoteVia>? Via { get; init; }

    /// <summary>Whether this is the recorded answer to a submission id committed before (nothing was stored now).</summary>
    public bool Repeat { get; init; }

    public static DeliveryOutcome Refused(ErrorCode error, string problem, string? wireCode = null) =>
        new(error, problem, null, 0, []) { WireCode = wireCode };
}
