using Butterfly.Mime.Internal;

namespace Butterfly.Mime;

/// <summary>A parsed Content-Disposition (RFC 2183): the disposition and its parameters.</summary>
public sealed class ContentDisposition
{
    private readonly List<KeyValuePair<string, string>> _parameters;

    private ContentDisposition(string disposition, List<KeyValuePair<string, string>> parameters)
    {
        Disposition = disposition;
        _parameters = parameters;
    }

    /// <summary>"inline", "attachment" or another value, lower case.</summary>
    public string Disposition { get; }

    /// <summary>Whether the disposition is "attachment".</summary>
    public bool IsAttachment => Disposition == "attachment";

    /// <summary>The parameters in order, continuations joined and values decoded.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters => _parameters;

    /// <summary>The filename parameter, or null.</summary>
    public string? FileName => GetParameter("filename");

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

    /// <summary>Parses a Content-Disposition value leniently; parameters past <paramref name="maxParameters"/> are dropped.</summary>
    public static ContentDisposition Parse(string value, int maxParameters = 100)
    {
        ArgumentNullException.ThrowIfNull(value);
        int semi = value.IndexOf(';', StringComparison.Ordinal);
        var d = (semi < 0 ? value.AsSpan() : value.AsSpan(0, semi)).Trim();
        // Over the limit, only the first parameters are kept: a disposition is never a reason to reject a message.
        ParameterParser.TryParse(value, semi < 0 ? value.Length : semi, maxParameters, truncate: true, out var parameters);

        return new ContentDisposition(MediaNames.Lower(d), parameters);
    }

    /// <inheritdoc />
    public override string ToString() => Disposition;
}
