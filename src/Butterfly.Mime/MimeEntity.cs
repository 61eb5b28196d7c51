using Butterfly.Mime.Internal;

namespace Butterfly.Mime;

/// <summary>
/// One node of the MIME tree: a leaf part, a multipart with children, or a message/rfc822 part
/// holding a message. Offsets are positions in the bytes given to <see cref="MimeMessage.TryParse(ReadOnlyMemory{byte}, ParserOptions, out MimeMessage?)"/>,
/// so one part can be served from the raw message without re-encoding.
/// </summary>
public sealed partial class MimeEntity
{
    private readonly ReadOnlyMemory<byte> _source;
    private ContentDisposition? _disposition;
    private bool _dispositionParsed;
    private string? _transferEncoding;

    internal MimeEntity(ReadOnlyMemory<byte> source, HeaderList headers, ContentType contentType, int offset, int headerLength, Header? transferEncoding, int maxParameters)
    {
        _source = source;
        Headers = headers;
        ContentType = contentType;
        Offset = offset;
        HeaderLength = headerLength;
        TransferEncodingHeader = transferEncoding;
        MaxParameters = maxParameters;
    }

    /// <summary>The entity's header fields.</summary>
    public HeaderList Headers { get; }

    /// <summary>The Content-Type (text/plain; charset=us-ascii when absent).</summary>
    public ContentType ContentType { get; }

    /// <summary>The Content-Disposition, or null when absent.</summary>
    public ContentDisposition? ContentDisposition
    {
        get
        {
            if (!Volatile.Read(ref _dispositionParsed))
            {
                var h = Headers.GetFirst("Content-Disposition");
                _disposition = h is null ? null : ContentDisposition.Parse(h.Value, MaxParameters);
                Volatile.Write(ref _dispositionParsed, true);
            }

            return _disposition;
        }
    }

    /// <summary>The Content-Transfer-Encoding, lower case ("7bit" when absent).</summary>
    public string ContentTransferEncoding =>
        _transferEncoding ??= TransferEncodingHeader is null ? "7bit" : MediaNames.Lower(TransferEncodingHeader.Value.AsSpan().Trim());

    /// <summary>The offset of the entity (its first header byte) in the parsed input.</summary>
    public int Offset { get; }

    /// <summary>
    /// The length of the header block, the blank line included; when a multipart delimiter
    /// follows at once, the line break before it is the delimiter's, not the block's.
    /// </summary>
    public int HeaderLength { get; }

    /// <summary>The offset of the body in the parsed input.</summary>
    public int BodyOffset => Offset + HeaderLength;

    /// <summary>The length of the body (for a multipart: preamble, parts and epilogue).</summary>
    public int BodyLength { get; internal set; }

    /// <summary>The length of the whole entity, headers and body.</summary>
    public int Length => HeaderLength + BodyLength;

    /// <summary>The entity as in the input: headers and body.</summary>
    public ReadOnlyMemory<byte> RawEntity => _source.Slice(Offset, Length);

    /// <summary>The body as in the input, still transfer-encoded.</summary>
    public ReadOnlyMemory<byte> RawBody => _source.Slice(BodyOffset, BodyLength);

    /// <summary>The children of a multipart, in order; empty otherwise.</summary>
    public IReadOnlyList<MimeEntity> Children { get; internal set; } = [];

    /// <summary>The message inside a message/rfc822 (or message/global) part, or null.</summary>
    public MimeMessage? Message { get; internal set; }

    /// <summary>The text before the first delimiter of a multipart.</summary>
    public ReadOnlyMemory<byte> Preamble { get; internal set; }

    /// <summary>The text after the close delimiter of a multipart.</summary>
    public ReadOnlyMemory<byte> Epilogue { get; internal set; }

    /// <summary>Whether a multipart ended without its close delimiter (recovered leniently).</summary>
    public bool MissingCloseDelimiter { get; internal set; }

    /// <summary>Whether this is a multipart.</summary>
    public bool IsMultipart => ContentType.IsMultipart;

    /// <summary>
    /// Whether this part is an attachment: disposition "attachment", or a leaf that is not text
    /// and not a multipart (or text with a file name).
    /// </summary>
    public bool IsAttachment
    {
        get
        {
            if (IsMultipart)
            {
                return false;
            }

            var d = ContentDisposition;
            if (d is not null && d.IsAttachment)
            {
                return true;
            }

            if (Message is not null)
            {
                return true;
            }

            return ContentType.MediaType != "text" || (d is not null && d.FileName is not null && d.Disposition != "inline");
        }
    }

    /// <summary>The file name from Content-Disposition, else from the Content-Type name parameter, or null.</summary>
    public string? FileName => ContentDisposition?.FileName ?? ContentType.Name;

    internal Header? TransferEncodingHeader { get; }

    internal int MaxParameters { get; }

    /// <inheritdoc />
    public override string ToString() => ContentType.MimeType + " @" + Offset + "+" + Length;
}
