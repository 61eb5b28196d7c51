using System.Text.Json;

namespace Butterfly.Server.Queue;

/// <summary>
/// What an outbound entry carries over when the worker replaces it with a new delivery id (after a
/// reply that left some recipients to retry, the old id is spent: the receiver has recorded its
/// answer to it). Kept as the entry's meta JSON: <c>{"queued": unix-ms, "attempts": n, "notified": bool}</c>.
/// </summary>
/// <param name="Queued">When the message was first queued, or null when this entry is the first.</param>
/// <param name="Attempts">Attempts made under earlier delivery ids.</param>
/// <param name="Notified">Whether the sender has been told of a delay already.</param>
internal sealed record QueueMeta(DateTimeOffset? Queued, int Attempts, bool Notified)
{
    /// <summary>No history.</summary>
    public static QueueMeta None { get; } = new(null, 0, false);

    /// <summary>Reads the meta of an entry; anything else (another owner's JSON, nothing) is no history.</summary>
    /// <param name="json">The stored meta.</param>
    public static QueueMeta Parse(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return None;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return None;
            }

            DateTimeOffset? queued = root.TryGetProperty("queued", out var q) && q.TryGetInt64(out var ms)
                ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
                : null;
            var attempts = root.TryGetProperty("attempts", out var a) && a.TryGetInt32(out var n) ? Math.Max(0, n) : 0;
            var notified = root.TryGetProperty("notified", out var d) && d.ValueKind == JsonValueKind.True;
            return new QueueMeta(queued, attempts, notified);
        }
        catch (JsonException)
        {
            return None;
        }
    }

    /// <summary>The JSON to store.</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (Queued is { } queued)
            {
                writer.WriteNumber("queued", queued.ToUnixTimeMilliseconds());
            }

            writer.WriteNumber("attempts", Attempts);
            writer.WriteBoolean("notified", Notified);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
