using System.Globalization;

namespace Butterfly.Cli.Migration;

/// <summary>
/// Where an interrupted import of one mbox file got to: a small file beside it
/// (<c>PATH.butterfly-import</c>) naming the account, the folder and the byte offset before which
/// every message was acknowledged. The next run of the same import starts there; what was in flight
/// at the interruption is sent again and the server skips it as a duplicate.
/// </summary>
internal sealed class ImportCheckpoint(string path, string address, string folder)
{
    private bool _writable = true;

    /// <summary>The checkpoint file for an mbox file.</summary>
    public static string PathFor(string source) => source + ".butterfly-import";

    /// <summary>The file.</summary>
    public string Path => path;

    /// <summary>The offset to resume at: 0 without a checkpoint of the same import, or one past the file's end.</summary>
    public long Read(long fileLength)
    {
        try
        {
            var lines = File.ReadAllLines(path);
            return lines.Length == 4 && lines[0] == "butterfly-import 1" && lines[1] == address && lines[2] == folder
                && long.TryParse(lines[3], NumberStyles.None, CultureInfo.InvariantCulture, out var offset) && offset <= fileLength
                ? offset
                : 0;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return 0;
        }
    }

    /// <summary>Records <paramref name="offset"/> (written beside, then renamed over, so a crash leaves the old one or the new one).</summary>
    /// <returns>False when it cannot be written (a read-only folder): the import goes on without one.</returns>
    public bool Write(long offset)
    {
        if (!_writable)
        {
            return false;
        }

        try
        {
            var temporary = path + ".tmp";
            File.WriteAllText(temporary, string.Create(CultureInfo.InvariantCulture, $"butterfly-import 1\n{address}\n{folder}\n{offset}\n"));
            File.Move(temporary, path, overwrite: true);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _writable = false;
            return false;
        }
    }

    /// <summary>Removes the checkpoint once the import is complete.</summary>
    public void Delete() => File.Delete(path);
}
