using Butterfly.Mime.Internal;

namespace Butterfly.Mime;

/// <summary>
/// One header field, kept as the raw bytes of the message; its name and values are decoded
/// to strings only when asked for.
/// </summary>
public sealed class Header
{
    private readonly ReadOnlyMemory<byte> _field;
    private readonly int _nameLength;
    private readonly int _valueStart;
    private string? _name;
    private string? _value;
    private string? _decodedValue;

    internal Header(ReadOnlyMemory<byte> field, int nameLength, int valueStart, int offset)
    {
        _field = field;
        _nameLength = nameLength;
        _valueStart = valueStart;
        Offset = offset;
    }

    /// <summary>The field name as written (without the colon or trailing white space).</summary>
    public string Name => _name ??= HeaderNames.Intern(_field.Span[.._nameLength]);

    /// <summary>The whole field as in the message, folded, without its final line break.</summary>
    public ReadOnlyMemory<byte> RawField => _field;

    /// <summary>The bytes after the colon, folded, as in the message.</summary>
    public ReadOnlyMemory<byte> RawValue => _field[_valueStart..];

    /// <summary>The offset of the field in the parsed input.</summary>
    public int Offset { get; }

    /// <summary>
    /// The value unfolded and trimmed, 8-bit bytes decoded as UTF-8 (or Windows-1252 when they
    /// are not UTF-8); encoded words are left as they are.
    /// </summary>
    public string Value => _value ??= HeaderText.Unfold(RawValue.Span);

    /// <summary>The value with RFC 2047 encoded words decoded: the text to show a person.</summary>
    public string DecodedValue => _decodedValue ??= EncodedWordDecoder.Decode(Value);

    /// <summary>Whether this field has the given name (ASCII case-insensitive).</summary>
    public bool Is(string name) => HeaderNames.Equals(_field.Span[.._nameLength], name);

    /// <inheritdoc />
    public override string ToString() => Name + ": " + Value;
}
