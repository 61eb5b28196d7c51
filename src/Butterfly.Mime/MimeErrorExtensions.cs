namespace Butterfly.Mime;

/// <summary>The one table of human-readable texts for <see cref="MimeError"/> values.</summary>
public static class MimeErrorExtensions
{
    /// <summary>A short English description of the error, suitable for an error reply.</summary>
    public static string Describe(this MimeError error) => error switch
    {
        MimeError.None => "parsed",
        MimeError.Empty => "the message is empty",
        MimeError.HeaderBlockTooLarge => "a header block is larger than the limit",
        MimeError.TooManyHeaderFields => "a header block has more fields than the limit",
        MimeError.LineTooLong => "a header line is longer than the limit",
        MimeError.TooDeep => "MIME parts are nested deeper than the limit",
        MimeError.TooManyParts => "the message has more MIME parts than the limit",
        MimeError.TooManyParameters => "a Content-Type field has more parameters than the limit",
        MimeError.Malformed => "the message is malformed",
        _ => "unknown MIME error " + (int)error,
    };
}
