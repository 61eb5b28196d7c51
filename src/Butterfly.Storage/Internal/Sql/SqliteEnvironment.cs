namespace Butterfly.Storage.Internal;

/// <summary>Initializes the bundled SQLite native library once per process.</summary>
internal static class SqliteEnvironment
{
    private static readonly Lazy<bool> Initialized = new(() =>
    {
        SQLitePCL.Batteries_V2.Init();
        return true;
    });

    public static void EnsureInitialized() => _ = Initialized.Value;
}
