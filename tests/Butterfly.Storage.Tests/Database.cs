using Butterfly.Storage.Internal;
using Microsoft.Data.Sqlite;

namespace Butterfly.Storage.Tests;

/// <summary>Looks at the database file directly, on its own connection.</summary>
internal static class Database
{
    public static long Scalar(StoreFixture fixture, string sql)
    {
        SqliteEnvironment.EnsureInitialized();
        using var connection = new SqliteConnection($"Data Source={fixture.Store.Options.DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static string? Text(StoreFixture fixture, string sql)
    {
        SqliteEnvironment.EnsureInitialized();
        using var connection = new SqliteConnection($"Data Source={fixture.Store.Options.DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar() as string;
    }
}
