using System.Globalization;
using System.Text;

namespace Butterfly.Server.Tests.Migration;

/// <summary>Test mail for imports: numbered messages with unique Message-IDs, as mbox files and Maildirs.</summary>
internal static class MigrationFiles
{
    /// <summary>Message <paramref name="n"/>: CRLF line ends, a unique Message-ID, about <paramref name="padding"/> bytes of body.</summary>
    public static byte[] Message(int n, string extraBody = "", int padding = 200) => Encoding.UTF8.GetBytes(
        string.Create(CultureInfo.InvariantCulture, $"From: Sender {n} <sender{n}@example.net>\r\nTo: someone@example.org\r\nSubject: Message {n}\r\n")
        + string.Create(CultureInfo.InvariantCulture, $"Date: Sat, 21 Nov 2026 12:00:00 +0000\r\nMessage-ID: <m{n}.import@example.net>\r\n\r\n")
        + $"Body of message {n}.\r\n{extraBody}{new string('x', padding)}\r\n");

    /// <summary>An mbox (mboxrd) of messages 1..<paramref name="count"/>, each with a From line dated a day apart.</summary>
    public static void WriteMbox(string path, int count, int padding = 200)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
        for (var n = 1; n <= count; n++)
        {
            WriteMboxEntry(file, Message(n, padding: padding), new DateTime(2025, 1, 1, 8, 0, 0, DateTimeKind.Utc).AddDays(n % 300));
        }
    }

    /// <summary>One mbox entry, the message written as it is (the caller quotes what needs quoting).</summary>
    public static void WriteMboxEntry(Stream file, byte[] message, DateTime date)
    {
        file.Write(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"From sender@example.net {date:ddd MMM} {date.Day,2} {date:HH:mm:ss yyyy}\n")));
        file.Write(message);
        file.Write("\n"u8);
    }

    /// <summary>Writes a message into a Maildir's cur (or new) with the given info suffix.</summary>
    public static void WriteMaildirFile(string maildir, string name, byte[] message, bool isNew = false)
    {
        foreach (var sub in new[] { "cur", "new", "tmp" })
        {
            Directory.CreateDirectory(Path.Combine(maildir, sub));
        }

        File.WriteAllBytes(Path.Combine(maildir, isNew ? "new" : "cur", name), message);
    }
}
