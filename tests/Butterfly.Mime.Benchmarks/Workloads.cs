using System.Runtime.InteropServices;
using Butterfly.Mime.Mbox;
using MimeKit;

namespace Butterfly.Mime.Benchmarks;

/// <summary>The measured work, shared by the BenchmarkDotNet and the quick modes.</summary>
internal static class Workloads
{
    public static int PerMessage(ReadOnlyMemory<byte>[] messages)
    {
        int parts = 0;
        foreach (var m in messages)
        {
            if (MimeMessage.TryParse(m, ParserOptions.Default, out var message) == MimeError.None)
            {
                parts += message!.Body.Children.Count;
            }
        }

        return parts;
    }

    public static int MboxStream(byte[] mbox)
    {
        int parts = 0;
        // Parse-and-drop streaming: messages are views of the reader's buffer, not copies.
        using var reader = new MboxReader(new MemoryStream(mbox, writable: false), copyMessages: false);
        while (reader.TryRead(out var entry))
        {
            if (MimeMessage.TryParse(entry.Message, ParserOptions.Default, out var message) == MimeError.None)
            {
                parts += message!.Body.Children.Count;
            }
        }

        return parts;
    }

    public static int PerMessageWithSummary(ReadOnlyMemory<byte>[] messages)
    {
        int n = 0;
        foreach (var m in messages)
        {
            if (MimeMessage.TryParse(m, ParserOptions.Default, out var message) == MimeError.None)
            {
                n += message!.From.Count + message.To.Count + (message.Subject?.Length ?? 0) + (message.Date is null ? 0 : 1) + (message.MessageId?.Length ?? 0);
            }
        }

        return n;
    }

    /// <summary>
    /// The same messages through MimeKit's parser (headers and the entity tree; with persistent: true
    /// the parts' content stays a view of the input, not a copy: MimeKit's fastest way, and no more
    /// decoding than the scanner does).
    /// </summary>
    public static int MimeKitPerMessage(ReadOnlyMemory<byte>[] messages)
    {
        int parts = 0;
        foreach (var m in messages)
        {
            if (!MemoryMarshal.TryGetArray(m, out var segment))
            {
                throw new InvalidOperationException("The corpus messages are slices of one array.");
            }

            using var stream = new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false);
            var parser = new MimeParser(stream, MimeFormat.Entity, persistent: true);
            var message = parser.ParseMessage();
            parts += message.Body is Multipart multipart ? multipart.Count : 0;
        }

        return parts;
    }
}
