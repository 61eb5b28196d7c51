using System.Globalization;

namespace Butterfly.Cli.Migration;

/// <summary>
/// The messages of a Maildir tree, as import items. The root's messages go to <c>Inbox</c> (or the
/// folder asked for); Maildir++ subfolders (<c>.Archive.2026</c>) and nested ones (<c>Archive/2026</c>,
/// each with its own <c>cur</c>) go to the folders they name, under it. Files in <c>cur</c> then
/// <c>new</c>, in name order; flags from the name, the internal date from its leading Unix time.
/// </summary>
internal static class MaildirSource
{
    /// <summary>Whether <paramref name="directory"/> is a Maildir (has <c>cur</c> or <c>new</c>) or holds Maildir++ folders.</summary>
    public static bool Is(string directory) =>
        IsMaildir(directory) || System.IO.Directory.EnumerateDirectories(directory, ".*").Any(IsMaildir);

    /// <summary>The folders of the tree and the Maildir each comes from.</summary>
    public static IEnumerable<(string Folder, string Directory)> Folders(string root, string? target)
    {
        if (IsMaildir(root))
        {
            yield return (target ?? "Inbox", root);
        }

        foreach (var sub in System.IO.Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(sub);
            if (name is "cur" or "new" or "tmp")
            {
                continue;
            }

            if (name.StartsWith('.'))
            {
                if (name.Length > 1 && IsMaildir(sub))
                {
                    yield return (Under(target, name[1..].Replace('.', '/')), sub);
                }

                continue;
            }

            foreach (var nested in Folders(sub, Under(target, name)))
            {
                yield return nested;
            }
        }
    }

    /// <summary>How many message files the tree holds (for the progress bar).</summary>
    public static long Count(string root, string? target) =>
        Folders(root, target).Sum(f => Files(f.Directory).LongCount());

    /// <summary>The messages of the tree.</summary>
    public static IEnumerable<ImportItem> Items(string root, string? target, int maxMessageBytes)
    {
        foreach (var (folder, directory) in Folders(root, target))
        {
            foreach (var file in Files(directory))
            {
                var name = Path.GetFileName(file);
                var flags = MaildirFlags.Parse(name, out var trashed);
                var size = new FileInfo(file).Length;
                var data = size > maxMessageBytes ? null : System.IO.File.ReadAllBytes(file);
                yield return new ImportItem(trashed ? "Trash" : folder, data, size, flags, Received(file, name), file, 1, null);
            }
        }
    }

    private static IEnumerable<string> Files(string maildir) =>
        new[] { "cur", "new" }
            .Select(d => Path.Combine(maildir, d))
            .Where(System.IO.Directory.Exists)
            .SelectMany(d => System.IO.Directory.EnumerateFiles(d).Order(StringComparer.Ordinal));

    private static DateTimeOffset Received(string file, string name)
    {
        var digits = name.AsSpan(0, name.AsSpan().IndexOfAnyExceptInRange('0', '9') is var end and >= 0 ? end : name.Length);
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and < 253402300799
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : new DateTimeOffset(System.IO.File.GetLastWriteTimeUtc(file));
    }

    private static bool IsMaildir(string directory) =>
        System.IO.Directory.Exists(Path.Combine(directory, "cur")) || System.IO.Directory.Exists(Path.Combine(directory, "new"));

    private static string Under(string? parent, string name) => parent is null ? name : $"{parent}/{name}";
}
