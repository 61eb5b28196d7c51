namespace Butterfly.Mime;

/// <summary>
/// Limits and leniency applied while parsing. Every limit is checked before the memory it
/// guards is spent; exceeding one makes <see cref="MimeMessage.TryParse(ReadOnlyMemory{byte}, ParserOptions, out MimeMessage?)"/>
/// return the matching <see cref="MimeError"/>.
/// </summary>
public sealed class ParserOptions
{
    /// <summary>
    /// The deepest nesting allowed: the top-level entity is at depth 0, each child of a multipart
    /// and each message inside a message/rfc822 part is one level deeper. Default 100.
    /// </summary>
    public int MaxDepth { get; init; } = 100;

    /// <summary>The largest number of entities (the top-level one included). Default 10,000.</summary>
    public int MaxParts { get; init; } = 10_000;

    /// <summary>The largest header block of any one entity, in bytes, blank line included. Default 1 MiB.</summary>
    public int MaxHeaderBlockBytes { get; init; } = 1 << 20;

    /// <summary>The largest number of header fields in any one header block. Default 1,000.</summary>
    public int MaxHeaderFields { get; init; } = 1_000;

    /// <summary>
    /// The longest physical header line, in bytes, without its line break. Body lines are not
    /// limited (a base64 body may legitimately be one long line). Default 1 MiB.
    /// </summary>
    public int MaxLineLength { get; init; } = 1 << 20;

    /// <summary>The largest number of parameters in one Content-Type or Content-Disposition field. Default 100.</summary>
    public int MaxParameters { get; init; } = 100;

    /// <summary>
    /// When true, syntax that lenient parsing recovers from (a header line without a colon, a
    /// multipart without its close delimiter) makes parsing fail with <see cref="MimeError.Malformed"/>.
    /// Default false: lenient, as real mail needs.
    /// </summary>
    public bool Strict { get; init; }

    /// <summary>The default options: lenient, with the default limits.</summary>
    public static ParserOptions Default { get; } = new();
}
