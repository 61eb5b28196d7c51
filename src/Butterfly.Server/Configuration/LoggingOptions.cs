using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Configuration;

/// <summary>The logging section of <c>butterfly.json</c>: minimum log levels, as in other .NET servers.</summary>
public sealed class LoggingOptions
{
    /// <summary>
    /// The minimum level by category (a category and every category under it, e.g. <c>Butterfly.Federation</c>);
    /// <c>Default</c> applies to the rest. Without entries: Information, and Warning for <c>Microsoft</c>.
    /// </summary>
    [ConfigurationKeyName("LogLevel")] // Spelt as everywhere else in .NET.
    public Dictionary<string, LogLevel> LogLevel { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
