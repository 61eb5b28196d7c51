using Butterfly.Mime.Mbox;

namespace Butterfly.Mime.Benchmarks;

/// <summary>Finds and loads shared/corpus/synthetic-1000.mbox.</summary>
internal static class Corpus
{
    private const string Relative = "shared/corpus/synthetic-1000.mbox";

    /// <summary>
    /// The corpus path: $BUTTERFLY_MBOX_CORPUS, else the first shared/corpus/synthetic-1000.mbox
    /// found walking up from the current directory or from the program's directory.
    /// </summary>
    public static string Locate()
    {
        var env = Environment.GetEnvironmentVariable("BUTTERFLY_MBOX_CORPUS");
        if (!string.IsNullOrEmpty(env))
        {
            return File.Exists(env) ? env : throw new FileNotFoundException("BUTTERFLY_MBOX_CORPUS names no file.", env);
        }

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, Relative);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new FileNotFoundException("Cannot find " + Relative + " above the current directory; set BUTTERFLY_MBOX_CORPUS.");
    }

    public static byte[] LoadMbox() => File.ReadAllBytes(Locate());

    public static ReadOnlyMemory<byte>[] LoadMessages(byte[] mbox) => MboxReader.Split(mbox).Select(e => e.Message).ToArray();
}
