using Butterfly.Mime.Internal;

namespace Butterfly.Mime;

/// <summary>A parsed Content-Type: media type, subtype and parameters (RFC 2045, RFC 2231).</summary>
public sealed class ContentType
{
    internal static readonly ContentType TextPlain = new("text", "plain", [new("charset", "us-ascii")]);
    internal static readonly ContentType MessageRfc822 = new("message", "rfc822", []);

    private readonly List<KeyValuePair<string, string>> _parameters;

    internal ContentType(string mediaType, string mediaSubtype, List<KeyValuePair<string, string>> parameters)
    {
        MediaType = mediaType;
        MediaSubtype = mediaSubtype;
        _parameters = parameters;
    }

    /// <summary>The media type, lower case, e.g. "text".</summary>
    public string MediaType { get; }

    /// <summary>The subtype, lower case, e.g. "plain".</summary>
    public string MediaSubtype { get; }

    /// <summary>"type/subtype", lower case.</summary>
    public string MimeType => MediaType + "/" + MediaSubtype;

    /// <summary>The parameters in order, continuations joined and values decoded.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters => _parameters;

    /// <summary>The charset parameter, or null.</summary>
    public string? Charset => GetParameter("charset");

    /// <summary>The boundary parameter, or null.</summary>
    public string? Boundary => GetParameter("boundary");

    /// <summary>The (obsolete but common) name parameter, or null.</summary>
    public string? Name => GetParameter("name");

    /// <summary>Whether this is a multipart type.</summary>
    public bool IsMultipart => MediaType == "multipart";

    /// <summary>The value of a parameter (case-insensitive name), or null.</summary>
    public string? GetParameter(string name)
    {
        foreach (var kv in _parameters)
        {
            if (string.Equals(kv.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return kv.Value;
            }
        }

        return null;
    }

    /// <summary>Whether the type matches; "*" matches any subtype.</summary>
    public bool IsMimeType(string mediaType, string mediaSubtype) =>
        string.Equals(MediaType, mediaType, StringComparison.OrdinalIgnoreCase)
        && (mediaSubtype == "*" || string.Equals(MediaSubtype, mediaSubtype, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Parses a Content-Type value leniently; a missing or broken type gives text/plain, and
    /// parameters past <see cref="ParserOptions.MaxParameters"/> of the default options are dropped.
    /// </summary>
    public static ContentType Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        TryParse(value, ParserOptions.Default.MaxParameters, truncate: true, out var ct);
        return ct;
    }

    internal static bool TryParse(string value, int maxParameters, out ContentType result) =>
        TryParse(value, maxParameters, truncate: false, out result);

    private static bool TryParse(string value, int maxParameters, bool truncate, out ContentType result)
    {
        int semi = value.IndexOf(';', StringComparison.Ordinal);
        var typePart = (semi < 0 ? value.AsSpan() : value.AsSpan(0, semi)).Trim();
        int slash = typePart.IndexOf('/');
        string type, subtype;
        if (slash <= 0)
        {
            // "text" alone (or garbage): keep a bare "text" as text/plain, anything else as application/octet-stream.
            type = typePart.Equals("text", StringComparison.OrdinalIgnoreCase) || typePart.Length == 0 ? "text" : "application";
            subtype = type == "text" ? "plain" : "octet-stream";
        }
        else
        {
            type = MediaNames.Lower(typePart[..slash].Trim());
            subtype = MediaNames.Lower(typePart[(slash + 1)..].Trim());
        }

        if (!ParameterParser.TryParse(value, semi < 0 ? value.Length : semi, maxParameters, truncate, out var parameters))
        {
            result = TextPlain;
            return false;
        }

        result = new ContentType(type, subtype, parameters);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => MimeType;
}
