using System.Buffers;
using System.Text.Json;
using Butterfly.Server.Mail;
using Butterfly.Storage;

namespace Butterfly.Server.Delivery;

/// <summary>
/// A send's answer as recorded with its submission id (protocol/client.md, "Submission ids"): the
/// Message-ID and each recipient's status. The Sent copy's id is recorded by the store beside it.
/// </summary>
internal static class SubmissionAnswerJson
{
    /// <summary>The JSON recorded with a submission id.</summary>
    public static string Write(string messageId, IReadOnlyList<RecipientResult> results)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("messageId"u8, messageId);
            writer.WriteStartArray("recipients"u8);
            foreach (var result in results)
            {
                writer.WriteStartObject();
                writer.WriteString("address"u8, result.Recipient);
                writer.WriteString("status"u8, result.Status);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The outcome a repeat of the submission gets: the first one, Sent id included.</summary>
    public static DeliveryOutcome Read(SubmissionAnswer answer)
    {
        using var document = JsonDocument.Parse(answer.Result);
        var root = document.RootElement;
        var recipients = new List<(string, string)>();
        foreach (var item in root.GetProperty("recipients").EnumerateArray())
        {
            recipients.Add((item.GetProperty("address").GetString()!, item.GetProperty("status").GetString()!));
        }

        return new DeliveryOutcome(Protocol.Errors.ErrorCode.None, null, root.GetProperty("messageId").GetString(), answer.Copy.Id, recipients);
    }
}
