using System.Buffers;
using System.Text.Json;
using System.Text;
using Butterfly.Server.Mail;

namespace Butterfly.Server.Delivery;

/// <summary>Per-recipient results as JSON: the form recorded for a peer's delivery id and returned again for a repeat.</summary>
internal static class PeerResultsJson
{
    public static string Write(IReadOnlyList<RecipientResult> results)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var result in results)
            {
                writer.WriteStartObject();
                writer.WriteString("rcpt", result.Recipient);
                writer.WriteString("status", result.Status);
                if (result.Code is not null)
                {
                    writer.WriteString("code", result.Code);
                }

                if (result.Message is not null)
                {
                    writer.WriteString("message", result.Message);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static IReadOnlyList<RecipientResult> Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        var results = new List<RecipientResult>();
        foreach (var item in document.RootElement.EnumerateArray())
        {
            results.Add(new RecipientResult(
                item.GetProperty("rcpt").GetString()!,
                item.GetProperty("status").GetString()!,
                item.TryGetProperty("code", out var code) ? code.GetString() : null,
                item.TryGetProperty("message", out var message) ? message.GetString() : null));
        }

        return results;
    }
}
