using System.Globalization;
using System.Text.Json;
using Butterfly.Protocol.Contracts;

namespace Butterfly.Cli.Rendering;

/// <summary>Writes folders and message summaries with the field names of protocol/client.md.</summary>
internal static class DtoJson
{
    public static void WriteFolder(Utf8JsonWriter w, FolderDto folder)
    {
        w.WriteStartObject();
        w.WriteString("name", folder.Name);
        w.WriteNumber("messages", folder.Messages);
        w.WriteNumber("unseen", folder.Unseen);
        w.WriteNumber("nextId", folder.NextId);
        w.WriteNumber("modseq", folder.ModSeq);
        w.WriteEndObject();
    }

    public static void WriteMessage(Utf8JsonWriter w, MessageDto message)
    {
        w.WriteStartObject();
        w.WriteNumber("id", message.Id);
        w.WriteString("folder", message.Folder);
        w.WriteString("from", message.From);
        JsonOutput.WriteStrings(w, "to", message.To);
        JsonOutput.WriteStrings(w, "cc", message.Cc);
        w.WriteString("subject", message.Subject);
        if (message.Date is { } date)
        {
            w.WriteString("date", date.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture));
        }
        else
        {
            w.WriteNull("date");
        }

        w.WriteString("received", message.Received.ToString("o", CultureInfo.InvariantCulture));
        w.WriteNumber("size", message.Size);
        JsonOutput.WriteStrings(w, "flags", message.Flags);
        w.WriteNumber("modseq", message.ModSeq);
        w.WriteEndObject();
    }
}
