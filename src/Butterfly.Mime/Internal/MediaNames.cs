namespace Butterfly.Mime.Internal;

/// <summary>Lower-cases media type names, returning shared strings for the common ones.</summary>
internal static class MediaNames
{
    private static readonly string[] Common =
    [
        "text", "plain", "html", "multipart", "mixed", "alternative", "related", "digest", "signed", "report",
        "message", "rfc822", "global", "application", "octet-stream", "pdf", "image", "png", "jpeg", "gif",
        "base64", "quoted-printable", "7bit", "8bit", "binary", "attachment", "inline",
    ];

    public static string Lower(ReadOnlySpan<char> name)
    {
        foreach (var c in Common)
        {
            if (c.Length == name.Length && name.Equals(c, StringComparison.OrdinalIgnoreCase))
            {
                return c;
            }
        }

        return name.ToString().ToLowerInvariant();
    }
}
