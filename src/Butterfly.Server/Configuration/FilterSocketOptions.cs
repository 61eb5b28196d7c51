using System.Globalization;

namespace Butterfly.Server.Configuration;

/// <summary>The UNIX socket filter daemons connect to (<c>filterSocket</c> in butterfly.json; protocol/filter.md, "Transport").</summary>
public sealed class FilterSocketOptions
{
    /// <summary>The socket path; relative paths are taken from the data folder. Default <c>filter.sock</c>.</summary>
    public string Path { get; set; } = "filter.sock";

    /// <summary>The socket file's permissions, octal. Default <c>0660</c> (owner and group may connect).</summary>
    public string Mode { get; set; } = "0660";

    /// <summary>Parses <see cref="Mode"/>, or returns null when it is not an octal mode of at most 0777.</summary>
    public UnixFileMode? ParseMode()
    {
        var text = Mode?.Trim() ?? string.Empty;
        if (text.Length is 0 or > 4 || text.Any(c => c is < '0' or > '7'))
        {
            return null;
        }

        var value = Convert.ToInt32(text, 8);
        return value > 0x1FF ? null : (UnixFileMode)value;
    }

    /// <summary>The socket path as an absolute path.</summary>
    /// <param name="dataDirectory">The resolved data folder.</param>
    public string Resolve(string dataDirectory) => System.IO.Path.GetFullPath(Path, dataDirectory);

    /// <summary>Checks the settings; returns the problems found.</summary>
    internal IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Path))
        {
            yield return "filterSocket.path must not be empty.";
        }

        if (ParseMode() is null)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"filterSocket.mode: '{Mode}' is not an octal file mode such as 0660.");
        }
    }
}
