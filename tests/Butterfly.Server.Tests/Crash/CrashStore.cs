using System.Text.Json.Nodes;
using Butterfly.TestUtilities;
using Microsoft.Data.Sqlite;

namespace Butterfly.Server.Tests.Crash;

/// <summary>
/// The store the kill -9 tests run the daemon on, and how they check it after each kill: SQLite
/// (the default, <c>PRAGMA integrity_check</c>) or PostgreSQL (<c>store.kind</c> "postgres",
/// <see cref="PostgresIntegrity"/>'s amcheck of every index).
/// </summary>
/// <param name="Name">For the output.</param>
/// <param name="Configure">Sets the store in the daemon's butterfly.json.</param>
/// <param name="CheckIntegrityAsync">Checks the store of the daemon whose config folder is given, after its kill.</param>
internal sealed record CrashStore(string Name, Action<JsonObject> Configure, Func<string, Task> CheckIntegrityAsync)
{
    /// <summary>The embedded default: data/butterfly.db in the daemon's folder.</summary>
    public static CrashStore Sqlite { get; } = new("sqlite", _ => { }, folder =>
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "data", "butterfly.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        var result = command.ExecuteScalar() as string;
        Assert.True(result == "ok", $"integrity_check after kill -9: {result}");
        return Task.CompletedTask;
    });

    /// <summary>A PostgreSQL database (one of its own per test, from <see cref="PrivatePostgres.CreateDatabase"/>).</summary>
    /// <param name="connectionString">The database.</param>
    public static CrashStore Postgres(string connectionString) => new(
        "postgres",
        json => DaemonGroup.UsePostgres(json, connectionString),
        async _ => Assert.True(await PostgresIntegrity.CheckAsync(connectionString) > 0, "amcheck found no index to check"));
}
