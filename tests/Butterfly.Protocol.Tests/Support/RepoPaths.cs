namespace Butterfly.Protocol.Tests.Support;

/// <summary>Finds files in the source tree by walking up from the test binary to the directory holding Butterfly.sln.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> _root = new(FindRoot);

    /// <summary>The repository root (the directory that holds Butterfly.sln).</summary>
    public static string Root => _root.Value;

    /// <summary>protocol/vectors.</summary>
    public static string Vectors => Path.Combine(Root, "protocol", "vectors");

    /// <summary>protocol/client.md.</summary>
    public static string ClientDocument => Path.Combine(Root, "protocol", "client.md");

    /// <summary>protocol/framing.md.</summary>
    public static string FramingDocument => Path.Combine(Root, "protocol", "framing.md");

    /// <summary>protocol/errors.md.</summary>
    public static string ErrorsDocument => Path.Combine(Root, "protocol", "errors.md");

    /// <summary>Where fuzz failures are kept and replayed from.</summary>
    public static string FuzzRegressions => Path.Combine(Root, "tests", "Butterfly.Protocol.Tests", "TestData", "fuzz-regressions");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Butterfly.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Butterfly.sln above {AppContext.BaseDirectory}.");
    }
}
