using Butterfly.Mime.Mbox;

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
}
