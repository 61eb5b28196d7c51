using System.Text.Json.Serialization;

namespace Butterfly.Protocol.Contracts;

/// <summary>One recipient of a <c>peer.deliver</c>; also the form recorded for a delivery id.</summary>
/// <param name="Rcpt">The recipient.</param>
/// <param name="Status">What happened.</param>
/// <param name="Code">The error code, for a failure.</param>
/// <param name="Message">The reason, for a failure.</param>
public sealed record PeerRecipientResult(
    string Rcpt,
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Code = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Message = null);
