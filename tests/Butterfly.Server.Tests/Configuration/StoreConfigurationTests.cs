using System.Net;
using System.Net.Sockets;
using Butterfly.Server.Configuration;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Configuration;

/// <summary>
/// <c>store.kind</c> and its PostgreSQL keys: bound to the store's options, a wrong kind or a missing connection
/// string refused at load, and a database that cannot be reached stops <c>serve</c> with one line naming it.
/// </summary>
public sealed class StoreConfigurationTests : IDisposable
{
    private readonly TempDirectory _directory = new("bf-config-store");

    private string ConfigPath => _directory.Combine("butterfly.json");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Load_PostgresKeys_BoundToThePostgresStoreOptions()
    {
        File.WriteAllText(ConfigPath, """
            { "domains": ["example.org"], "quota": { "default": "1G" },
              "store": { "kind": "postgres", "connectionString": "Host=db.internal;Database=mail;Username=butterfly", "textSearch": "english", "leaseSeconds": 30 } }
            """);
        var options = ButterflyConfiguration.Load(ConfigPath, ConfigOverrides.None);
        var postgres = options.ToPostgresStoreOptions();

        Assert.True(options.Store.IsPostgres);
        Assert.Equal("Host=db.internal;Database=mail;Username=butterfly", postgres.ConnectionString);
        Assert.Equal("english", postgres.TextSearchConfiguration);
        Assert.Equal(TimeSpan.FromSeconds(30), postgres.LeaseDuration);
        Assert.Equal(1L << 30, postgres.DefaultQuotaBytes);
        Assert.Equal(options.Passwords.Cost, postgres.PasswordCost);
        Assert.Equal(TimeSpan.FromSeconds(30), postgres.LeaseDuration);
    }

    [Fact]
    public void Of_ConnectionString_IsNeverShownSinceItMayHoldAPassword()
    {
        File.WriteAllText(ConfigPath, """
            { "domains": ["example.org"], "store": { "kind": "postgres", "connectionString": "Host=db;Username=butterfly;Password=hunter2" } }
            """);
        var values = OptionValues.Of(ButterflyConfiguration.Load(ConfigPath, ConfigOverrides.None));

        Assert.Equal("\"(set)\"", values.Single(v => v.Key == "store.connectionString").Value);
        Assert.DoesNotContain(values, v => v.Value.Contains("hunter2", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_NoStoreSection_IsSqlite()
    {
        File.WriteAllText(ConfigPath, """{ "domains": ["example.org"] }""");
        var options = ButterflyConfiguration.Load(ConfigPath, ConfigOverrides.None);

        Assert.Equal(StorageOptions.Sqlite, options.Store.Kind);
        Assert.False(options.Store.IsPostgres);
    }

    [Theory]
    [InlineData("""{ "kind": "mysql" }""", "store.kind must be \"sqlite\" or \"postgres\" (it is \"mysql\").")]
    [InlineData("""{ "kind": "postgres" }""", "store.connectionString is required when store.kind is \"postgres\"")]
    [InlineData("""{ "kind": "postgres", "connectionString": "Hots=x" }""", "store.connectionString: ")]
    [InlineData("""{ "kind": "postgres", "connectionString": "Host=x", "leaseSeconds": 0 }""", "store.leaseSeconds must be at least 1")]
    [InlineData("""{ "textSearch": " " }""", "store.textSearch must name a text search configuration")]
    public void Load_BadStoreSection_NamesTheKey(string store, string expected)
    {
        File.WriteAllText(ConfigPath, $$"""{ "domains": ["example.org"], "store": {{store}} }""");
        var error = Assert.Throws<ConfigurationException>(() => ButterflyConfiguration.Load(ConfigPath, ConfigOverrides.None));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_PostgresNobodyListensOn_ExitsWithOneLineNamingTheDatabase()
    {
        // A loopback port that was free a moment ago: connecting to it is refused at once.
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        File.WriteAllText(ConfigPath, $$"""
            { "domains": ["example.org"], "listen": "127.0.0.1:0", "web": { "listen": "" }, "metrics": { "listen": "" },
              "passwords": { "allowWeakHashingForTests": true, "cost": 4 },
              "store": { "kind": "postgres", "connectionString": "Host=127.0.0.1;Port={{port}};Database=mail;Username=butterfly;Password=hunter2;Timeout=5" } }
            """);

        var result = await CliProcess.RunAsync(["serve", "--config", ConfigPath], workingDirectory: _directory.Path);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"error: store: Cannot reach the PostgreSQL server of store.connectionString (127.0.0.1:{port}/mail): ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("listening on", result.Stdout, StringComparison.Ordinal);
    }
}
