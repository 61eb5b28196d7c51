using System.Globalization;
using System.Text.Json;
using Butterfly.Cli.Rendering;
using Butterfly.Protocol.Contracts;

namespace Butterfly.Cli.Mail;

/// <summary>Messages from several folders as a table (search results, a thread) and as a JSON array.</summary>
internal static class MessageRows
{
    public static TableWriter Table(IEnumerable<MessageDto> messages)
    {
        var table = new TableWriter(["FOLDER", "ID", "FLAGS", "DATE", "FROM", "SUBJECT"], [24, 0, 24, 0, 32, 60]);
        foreach (var message in messages)
        {
            table.Add(
                message.Folder,
                message.Id.ToString(CultureInfo.InvariantCulture),
                message.Flags.Count == 0 ? "-" : string.Join(',', message.Flags),
                FormatDate(message.Date ?? message.Received),
                message.From ?? "",
                message.Subject ?? "");
        }

        return table;
    }

    public static void WriteArray(Utf8JsonWriter w, string name, IEnumerable<MessageDto> messages)
    {
        w.WriteStartArray(name);
        foreach (var message in messages)
        {
            DtoJson.WriteMessage(w, message);
        }

        w.WriteEndArray();
    }

    public static void WriteNext(Utf8JsonWriter w, long? next)
    {
        if (next is { } n)
        {
            w.WriteNumber("next", n);
        }
        else
        {
            w.WriteNull("next");
        }
    }

    public static string FormatDate(DateTimeOffset date) =>
        date.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
