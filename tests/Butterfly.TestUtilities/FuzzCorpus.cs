namespace Butterfly.TestUtilities;

/// <summary>
/// The AFL++ seeds and kept corpus of one tests/fuzz target, which a test project copies to
/// FuzzCorpus/TARGET in its output, replayed through the same target the fuzzer ran.
/// </summary>
public static class FuzzCorpus
{
    /// <summary>The inputs of <paramref name="target"/>, in ordinal order.</summary>
    /// <param name="target">frame, head, mime or verdict.</param>
    public static IReadOnlyList<string> Files(string target)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "FuzzCorpus", target);
        return Directory.Exists(directory) ? [.. Directory.GetFiles(directory).Order(StringComparer.Ordinal)] : [];
    }

    /// <summary>Runs every input through <paramref name="fuzz"/>; returns one line per input that threw.</summary>
    /// <param name="target">frame, head, mime or verdict.</param>
    /// <param name="fuzz">The target.</param>
    public static IReadOnlyList<string> Failures(string target, Action<byte[]> fuzz)
    {
        var failures = new List<string>();
        foreach (var file in Files(target))
        {
            try
            {
                fuzz(File.ReadAllBytes(file));
            }
            catch (Exception ex)
            {
                failures.Add($"{Path.GetFileName(file)}: {ex.GetType().Name}: {ex.Message}");
            }
        }

        return failures;
    }
}
