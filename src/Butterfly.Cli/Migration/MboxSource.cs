using System.Globalization;

namespace Butterfly.Cli.Migration;

/// <summary>The messages of mbox files, as import items: one file into one folder, or a folder of <c>*.mbox</c> files.</summary>
internal static class MboxSource
{
    /// <summary>The messages of one file from <paramref name="offset"/> (a boundary) on.</summary>
    public static IEnumerable<ImportItem> File(string path, string folder, MboxFormat format, int maxMessageBytes, long offset)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        stream.Position = offset;
        using var reader = new MboxReader(stream, format, maxMessageBytes);
        while (reader.Next() is { } message)
        {
            yield return new ImportItem(
                folder,
                message.Data,
                message.Size,
                [],
                message.Received,
                string.Create(CultureInfo.InvariantCulture, $"{path} at byte {message.Start}"),
                message.End - message.Start,
                message.End);
        }
    }

    /// <summary>Every <c>*.mbox</c> file under <paramref name="directory"/>, each into the folder its path names (<c>Archive/2026.mbox</c>: <c>Archive/2026</c>).</summary>
    public static IEnumerable<ImportItem> Directory(string directory, string? folder, MboxFormat format, int maxMessageBytes)
    {
        foreach (var file in Files(directory))
        {
            var relative = Path.GetRelativePath(directory, file);
            var name = relative[..^".mbox".Length].Replace(Path.DirectorySeparatorChar, '/');
            foreach (var item in File(file, folder is null ? name : $"{folder}/{name}", format, maxMessageBytes, 0))
            {
                yield return item with { ResumeAt = null };
            }
        }
    }

    /// <summary>The mbox files under a folder, in a stable order.</summary>
    public static IEnumerable<string> Files(string directory) =>
        System.IO.Directory.EnumerateFiles(directory, "*.mbox", SearchOption.AllDirectories).Order(StringComparer.Ordinal);
}
