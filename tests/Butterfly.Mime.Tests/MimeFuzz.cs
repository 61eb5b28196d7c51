using System.Text;
using Butterfly.Mime.Mbox;

namespace Butterfly.Mime.Tests;

/// <summary>
/// The fuzz target over the parser: parse without the safety net of <see cref="MimeMessage.TryParse(ReadOnlyMemory{byte}, ParserOptions, out MimeMessage?)"/>
/// (so bugs surface as exceptions), then touch every lazily decoded value.
/// </summary>
public static class MimeFuzz
{
    private static readonly ParserOptions Small = new() { MaxDepth = 8, MaxParts = 64, MaxHeaderFields = 64, MaxParameters = 8, MaxLineLength = 4096, MaxHeaderBlockBytes = 16384 };
    private static readonly ParserOptions StrictOptions = new() { Strict = true };

    /// <summary>Runs one input. Any exception is a bug.</summary>
    public static void Fuzz(ReadOnlySpan<byte> data)
    {
        var copy = data.ToArray();
        foreach (var options in new[] { ParserOptions.Default, Small, StrictOptions })
        {
            var error = MimeMessage.ParseCore(copy, options, out var message);
            if ((error == MimeError.None) != (message is not null))
            {
                throw new InvalidOperationException("The result and the message disagree: " + error);
            }

            if (message is not null)
            {
                Exercise(message);
            }
        }

        // Differential: the stream reader (tiny reads) must agree with the in-memory splitter.
        var split = MboxReader.Split(copy).Select(e => (e.FromLine, Convert.ToHexString(e.Message.Span), e.Offset)).ToList();
        using (var reader = new MboxReader(new TinyReadStream(copy, 1 + (copy.Length % 7))))
        {
            int k = 0;
            while (reader.TryRead(out var entry))
            {
                if (k >= split.Count || split[k] != (entry.FromLine, Convert.ToHexString(entry.Message.Span), entry.Offset))
                {
                    throw new InvalidOperationException("MboxReader and MboxReader.Split disagree at message " + k);
                }

                k++;
            }

            if (k != split.Count)
            {
                throw new InvalidOperationException("MboxReader found " + k + " messages, Split " + split.Count);
            }
        }

        var text = Encoding.UTF8.GetString(copy);
        _ = Internal.DateParser.Parse(text);
        _ = Internal.EncodedWordDecoder.Decode(text);
        _ = Internal.HtmlToText.Convert(text);
        var buffer = new byte[Internal.TransferDecoder.MaxBase64Output(copy.Length) + copy.Length];
        _ = Internal.TransferDecoder.DecodeBase64(copy, buffer);
        _ = Internal.TransferDecoder.DecodeQuotedPrintable(copy, buffer);
        _ = MailboxAddress.ParseList(text);
        _ = ContentType.Parse(text);
        _ = ContentDisposition.Parse(text);
    }

    /// <summary>A stream that returns at most a few bytes per read.</summary>
    private sealed class TinyReadStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));
    }

    /// <summary>Touches every decoded property of a message and its parts.</summary>
    public static void Exercise(MimeMessage message)
    {
        _ = message.Subject;
        _ = message.From;
        _ = message.To;
        _ = message.Cc;
        _ = message.Bcc;
        _ = message.ReplyTo;
        _ = message.Date;
        _ = message.MessageId;
        _ = message.InReplyTo;
        _ = message.References;
        _ = message.GetText();
        _ = message.GetAttachments();
        var stack = new Stack<MimeEntity>();
        stack.Push(message.Body);
        while (stack.Count > 0)
        {
            var e = stack.Pop();
            foreach (var h in e.Headers)
            {
                _ = h.Name;
                _ = h.DecodedValue;
                if (h.Offset < e.Offset || h.Offset + h.RawField.Length > e.BodyOffset)
                {
                    throw new InvalidOperationException("A field outside its header block on " + e);
                }
            }

            _ = e.ContentDisposition;
            _ = e.FileName;
            _ = e.IsAttachment;
            _ = e.RawEntity.Length;
            if (e.RawEntity.Length != e.Length || e.Offset < 0 || e.BodyLength < 0)
            {
                throw new InvalidOperationException("Bad offsets on " + e);
            }

            if (!e.IsMultipart)
            {
                _ = e.GetText();
                if (e.GetContentLength() < 0)
                {
                    throw new InvalidOperationException("Negative length");
                }
            }

            foreach (var c in e.Children)
            {
                stack.Push(c);
            }

            if (e.Message is not null)
            {
                Exercise(e.Message);
            }
        }
    }
}
