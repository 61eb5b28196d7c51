using System.Globalization;
using System.Text.Json;
using Butterfly.Cli.Commands;

namespace Butterfly.Cli.Backup;

/// <summary>
/// <c>manifest.json</c> in a backup folder: what was copied (each file's path, size, mode and SHA-256, each
/// folder's mode), when, by which build, and the database's schema version. <c>backup verify</c> and
/// <c>restore</c> trust nothing in the folder that it does not list with a matching hash.
/// </summary>
/// <param name="Created">When the backup was taken.</param>
/// <param name="Version">The build that took it.</param>
/// <param name="Source">The data folder it was taken from.</param>
/// <param name="SchemaVersion">The database's schema version.</param>
/// <param name="Folders">Sub-folders, with their modes.</param>
/// <param name="Files">Files, the database first.</param>
internal sealed record BackupManifest(
    DateTimeOffset Created,
    string Version,
    string Source,
    int SchemaVersion,
    IReadOnlyList<BackupEntry> Folders,
    IReadOnlyList<BackupEntry> Files)
{
    /// <summary>The manifest's file name in a backup folder.</summary>
    public const string FileName = "manifest.json";

    /// <summary>The format this build writes and reads.</summary>
    public const string Format = "butterfly-backup/1";

    /// <summary>The database's name in a backup (and in a data folder).</summary>
    public const string DatabaseName = "butterfly.db";

    /// <summary>Writes the manifest into <paramref name="folder"/>.</summary>
    public void Write(string folder)
    {
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = Butterfly.Storage.DataFolderAccess.PrivateFile;
        }

        using var stream = new FileStream(Path.Combine(folder, FileName), create);
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("format", Format);
            writer.WriteString("created", Created.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture));
            writer.WriteString("version", Version);
            writer.WriteString("source", Source);
            writer.WriteNumber("schemaVersion", SchemaVersion);
            WriteEntries(writer, "folders", Folders);
            WriteEntries(writer, "files", Files);
            writer.WriteEndObject();
        }

        stream.Flush(flushToDisk: true);
    }

    /// <summary>Reads the manifest of the backup in <paramref name="folder"/>.</summary>
    /// <exception cref="CliFailure"><c>backup.invalid</c>: no manifest, or not one this build reads.</exception>
    public static BackupManifest Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            throw new CliFailure("backup.invalid", $"{folder} is not a backup: it has no {FileName}.");
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            var format = root.GetProperty("format").GetString();
            if (format != Format)
            {
                throw new CliFailure("backup.invalid", $"{path}: format '{format}' is not one this build reads ({Format}).");
            }

            return new BackupManifest(
                root.GetProperty("created").GetDateTimeOffset(),
                root.GetProperty("version").GetString() ?? string.Empty,
                root.GetProperty("source").GetString() ?? string.Empty,
                root.GetProperty("schemaVersion").GetInt32(),
                ReadEntries(root.GetProperty("folders")),
                ReadEntries(root.GetProperty("files")));
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new CliFailure("backup.invalid", $"{path} cannot be read: {ex.Message}");
        }
    }

    private static void WriteEntries(Utf8JsonWriter writer, string name, IReadOnlyList<BackupEntry> entries)
    {
        writer.WriteStartArray(name);
        foreach (var entry in entries)
        {
            writer.WriteStartObject();
            writer.WriteString("path", entry.Path);
            writer.WriteString("mode", Convert.ToString((int)entry.Mode, 8).PadLeft(4, '0'));
            if (entry.Sha256 is not null)
            {
                writer.WriteNumber("size", entry.Size);
                writer.WriteString("sha256", entry.Sha256);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static List<BackupEntry> ReadEntries(JsonElement array) =>
        [.. array.EnumerateArray().Select(e => new BackupEntry(
            e.GetProperty("path").GetString()!,
            (UnixFileMode)Convert.ToInt32(e.GetProperty("mode").GetString(), 8),
            e.TryGetProperty("size", out var size) ? size.GetInt64() : 0,
            e.TryGetProperty("sha256", out var hash) ? hash.GetString() : null))];
}
