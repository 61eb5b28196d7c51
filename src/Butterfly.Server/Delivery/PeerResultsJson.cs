using System.Text.Json;
using Butterfly.Protocol.Contracts;
using Butterfly.Server.Mail;
using Butterfly.Server.Wire;

namespace Butterfly.Server.Delivery;

/// <summary>
/// Per-recipient results of a peer delivery as JSON (<see cref="PeerRecipientResult"/>): the
/// form recorded for a peer's delivery id and returned again for a repeat.
/// </summary>
internal static class PeerResultsJson
{
    /// <summary>The results in their wire form.</summary>
    public static List<PeerRecipientResult> ToWire(IReadOnlyList<RecipientResult> results) =>
        [.. results.Select(r => new PeerRecipientResult(r.Recipient, r.Status, r.Code, r.Message))];

    /// <summary>The JSON recorded with a delivery id.</summary>
    public static string Write(IReadOnlyList<RecipientResult> results) =>
        System.Text.Encoding.UTF8.GetString(JsonReply.Serialize(ToWire(results), ProtocolJson.Default.ListPeerRecipientResult));

    /// <summary>Reads what <see cref="Write"/> recorded.</summary>
    public static IReadOnlyList<RecipientResult> Read(string json) =>
        [.. (JsonSerializer.Deserialize(json, ProtocolJson.Default.ListPeerRecipientResult) ?? [])
            .Select(r => new RecipientResult(r.Rcpt, r.Status, r.Code, r.Message))];
}
