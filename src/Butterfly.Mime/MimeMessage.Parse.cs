using Butterfly.Mime.Internal;

namespace Butterfly.Mime;

/// <content>Parsing entry points.</content>
public sealed partial class MimeMessage
{
    /// <summary>
    /// Parses a message from memory without copying it; the message keeps referring to
    /// <paramref name="data"/>. Never throws for any input.
    /// </summary>
    /// <returns><see cref="MimeError.None"/> and the message, or the reason it was rejected.</returns>
    public static MimeError TryParse(ReadOnlyMemory<byte> data, ParserOptions options, out MimeMessage? message)
    {
        options ??= ParserOptions.Default;
        try
        {
            return ParseCore(data, options, out message);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A bug must not take the server down: report the input as malformed.
            message = null;
            return MimeError.Malformed;
        }
    }

    /// <summary>Parses a message from memory with <see cref="ParserOptions.Default"/>.</summary>
    public static MimeError TryParse(ReadOnlyMemory<byte> data, out MimeMessage? message) =>
        TryParse(data, ParserOptions.Default, out message);

    /// <summary>
    /// Reads <paramref name="stream"/> to its end and parses it. I/O errors from the stream are
    /// not caught; parse errors are returned.
    /// </summary>
    public static MimeError TryParse(Stream stream, ParserOptions options, out MimeMessage? message)
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] data;
        if (stream is MemoryStream ms && ms.TryGetBuffer(out var segment))
        {
            data = segment.AsSpan((int)ms.Position).ToArray();
            ms.Position = ms.Length;
        }
        else
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            data = copy.ToArray();
        }

        return TryParse(data, options, out message);
    }

    /// <summary>Parses; exceptions from bugs propagate (the fuzz target uses this to find them).</summary>
    internal static MimeError ParseCore(ReadOnlyMemory<byte> data, ParserOptions options, out MimeMessage? message)
    {
        message = null;
        if (data.IsEmpty)
        {
            return MimeError.Empty;
        }

        var parser = new MimeParser(data, options);
        message = parser.ParseMessage();
        if (message is null)
        {
            return parser.Error == MimeError.None ? MimeError.Malformed : parser.Error;
        }

        return MimeError.None;
    }
}
