using System.Text.Json;

namespace Butterfly.Filters.Internal;

/// <summary>Reads a <c>filter.message</c> request (protocol/filter.md, "filter.message").</summary>
internal static class MessageReader
{
    /// <summary>Builds the message from the request head and body.</summary>
    public static FilterMessage Read(JsonElement root, byte[] body)
    {
        var envelope = root.TryGetProperty("envelope", out var e) && e.ValueKind == JsonValueKind.Object ? e : default;
        var summary = root.TryGetProperty("summary", out var s) && s.ValueKind == JsonValueKind.Object ? s : default;
        var hasEnvelope = envelope.ValueKind == JsonValueKind.Object;
        var hasSummary = summary.ValueKind == JsonValueKind.Object;
        return new FilterMessage
        {
            Id = JsonHeads.String(root, "id") ?? string.Empty,
            Stage = JsonHeads.String(root, "stage") ?? string.Empty,
            Sender = hasEnvelope ? JsonHeads.String(envelope, "sender") ?? string.Empty : string.Empty,
            Recipients = hasEnvelope ? JsonHeads.Strings(envelope, "recipients") : [],
            Origin = hasEnvelope ? JsonHeads.String(envelope, "origin") ?? string.Empty : string.Empty,
            Account = hasEnvelope ? JsonHeads.String(envelope, "account") : null,
            Peer = hasEnvelope ? JsonHeads.String(envelope, "peer") : null,
            Hops = hasEnvelope && envelope.TryGetProperty("hops", out var hops) && hops.TryGetInt32(out var h) ? h : 0,
            From = hasSummary ? JsonHeads.String(summary, "from") : null,
            To = hasSummary ? JsonHeads.Strings(summary, "to") : [],
            Subject = hasSummary ? JsonHeads.String(summary, "subject") : null,
            MessageId = hasSummary ? JsonHeads.String(summary, "messageId") : null,
            Size = hasSummary && summary.TryGetProperty("size", out var size) && size.TryGetInt64(out var n) ? n : body.Length,
            Raw = body,
        };
    }
}
