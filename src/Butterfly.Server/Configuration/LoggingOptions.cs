using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Configuration;

/// <summary>The logging section of <c>butterfly.json</c>: minimum log levels, as in other .NET servers, and the line format.</summary>
public sealed class LoggingOptions
{
    /// <summary>One line of text per event (under systemd: with journald's priority prefix).</summary>
    public const string TextFormat = "text";

    /// <summary>One JSON object per line (Microsoft's JSON console formatter).</summary>
    public const string JsonFormat = "json";

    /// <summary>
    /// The minimum level by category (a category and every category under it, e.g. <c>Butterfly.Federation</c>);
    /// <c>Default</c> applies to the rest. Without entries: Information, and Warning for <c>Microsoft</c>.
    /// </summary>
    [ConfigurationKeyName("LogLevel")] // Spelt as everywhere else in .NET.
    public Dictionary<string, LogLevel> LogLevel { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// <c>text</c> (default): one line per event; when stdout goes to journald (<c>JOURNAL_STREAM</c> is set),
    /// systemd's format (a <c>&lt;N&gt;</c> priority prefix, no timestamp). <c>json</c>: one JSON object per line,
    /// scopes (the session id) included.
    /// </summary>
    public string Format { get; set; } = TextFormat;

    /// <summary>Checks the values; returns one line per problem.</summary>
    public IEnumerable<string> Validate()
    {
        if (!string.Equals(Format, TextFormat, StringComparison.OrdinalIgnoreCase) && !string.Equals(Format, JsonFormat, StringComparison.OrdinalIgnoreCase))
        {
            yield return $"logging.format: '{Format}' is not text or json.";
        }
    }
}
