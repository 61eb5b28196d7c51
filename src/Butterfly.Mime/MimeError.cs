namespace Butterfly.Mime;

/// <summary>The outcome of parsing: <see cref="None"/> or the reason the input was rejected.</summary>
public enum MimeError
{
    /// <summary>Parsed.</summary>
    None,

    /// <summary>The input holds no bytes.</summary>
    Empty,

    /// <summary>A header block is larger than <see cref="ParserOptions.MaxHeaderBlockBytes"/>.</summary>
    HeaderBlockTooLarge,

    /// <summary>A header block has more fields than <see cref="ParserOptions.MaxHeaderFields"/>.</summary>
    TooManyHeaderFields,

    /// <summary>A header line is longer than <see cref="ParserOptions.MaxLineLength"/>.</summary>
    LineTooLong,

    /// <summary>Entities are nested deeper than <see cref="ParserOptions.MaxDepth"/>.</summary>
    TooDeep,

    /// <summary>The message has more entities than <see cref="ParserOptions.MaxParts"/>.</summary>
    TooManyParts,

    /// <summary>A Content-Type field has more parameters than <see cref="ParserOptions.MaxParameters"/>.</summary>
    TooManyParameters,

    /// <summary>The input breaks a rule that strict parsing enforces (see <see cref="ParserOptions.Strict"/>).</summary>
    Malformed,
}
