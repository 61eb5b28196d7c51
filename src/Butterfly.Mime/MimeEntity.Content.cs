using Butterfly.Mime.Internal;

namespace Butterfly.Mime;

/// <content>Decoding of the body: transfer encoding and charset.</content>
public sealed partial class MimeEntity
{
    /// <summary>The body with its transfer encoding (base64, quoted-printable) removed, leniently.</summary>
    public byte[] GetContent()
    {
        var raw = RawBody.Span;
        switch (ContentTransferEncoding)
        {
            case "base64":
            {
                var buffer = new byte[TransferDecoder.MaxBase64Output(raw.Length)];
                int n = TransferDecoder.DecodeBase64(raw, buffer);
                return n == buffer.Length ? buffer : buffer.AsSpan(0, n).ToArray();
            }

            case "quoted-printable":
            {
                var buffer = new byte[raw.Length];
                int n = TransferDecoder.DecodeQuotedPrintable(raw, buffer);
                return n == buffer.Length ? buffer : buffer.AsSpan(0, n).ToArray();
            }

            default:
                return raw.ToArray();
        }
    }

    /// <summary>The length of <see cref="GetContent"/>; for base64 it is counted without decoding.</summary>
    public long GetContentLength() => ContentTransferEncoding switch
    {
        "base64" => TransferDecoder.CountBase64(RawBody.Span),
        "quoted-printable" => GetContent().LongLength,
        _ => BodyLength,
    };

    /// <summary>
    /// The body as text: transfer encoding removed, then decoded with the declared charset
    /// (undeclared 8-bit text is taken as UTF-8 when valid, else Windows-1252).
    /// </summary>
    public string GetText()
    {
        var content = GetContent();
        var charset = ContentType.Charset;
        return charset is null ? Charsets.DecodeUnknown(content) : Charsets.Decode(charset, content);
    }
}
