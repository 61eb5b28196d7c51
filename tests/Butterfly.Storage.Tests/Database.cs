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

    /// <summary>
    /// Folder counters match the rows; every content row is referenced by a message or a queue entry; no
    /// message or queue entry lacks its content; every folder's parent exists; every account's usage is the
    /// sum of the sizes of the messages in its folders.
    /// </summary>
    public static void AssertInvariants(StoreFixture fixture)
    {
        Assert.Equal(0, Scalar(fixture, """
            SELECT COUNT(*) FROM folders f
            WHERE f.messages != (SELECT COUNT(*) FROM messages m WHERE m.folder_id = f.id)
               OR f.unseen != (SELECT COUNT(*) FROM messages m WHERE m.folder_id = f.id AND (m.flags & 1) = 0)
            """));
        Assert.Equal(0, Scalar(fixture, """
            SELECT COUNT(*) FROM contents c
            WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.content_id = c.id) AND NOT EXISTS (SELECT 1 FROM queue q WHERE q.content_id = c.id)
            """));
        Assert.Equal(0, Scalar(fixture, "SELECT COUNT(*) FROM queue q WHERE NOT EXISTS (SELECT 1 FROM contents c WHERE c.id = q.content_id)"));
        Assert.Equal(0, Scalar(fixture, """
            SELECT COUNT(*) FROM folders f
            WHERE instr(f.name, '/') > 0
              AND NOT EXISTS (SELECT 1 FROM folders p WHERE p.account_id = f.account_id AND p.name = rtrim(rtrim(f.name, replace(f.name, '/', '')), '/'))
            """));
        Assert.Equal(0, Scalar(fixture, "SELECT COUNT(*) FROM messages m WHERE NOT EXISTS (SELECT 1 FROM contents c WHERE c.id = m.content_id)"));
        Assert.Equal(0, Scalar(fixture, "SELECT COUNT(*) FROM messages m WHERE NOT EXISTS (SELECT 1 FROM folders f WHERE f.id = m.folder_id)"));
        Assert.Equal(0, Scalar(fixture, """
            SELECT COUNT(*) FROM accounts a
            WHERE a.usage != (SELECT COALESCE(SUM(c.size), 0) FROM messages m JOIN folders f ON f.id = m.folder_id
                              JOIN contents c ON c.id = m.content_id WHERE f.account_id = a.id)
            """));

        // Search/: threads and the indexing backlog leave with their content.
        Assert.Equal(0, Scalar(fixture, "SELECT COUNT(*) FROM threads t WHERE NOT EXISTS (SELECT 1 FROM contents c WHERE c.id = t.content_id)"));
        Assert.Equal(0, Scalar(fixture, "SELECT COUNT(*) FROM search_pending p WHERE NOT EXISTS (SELECT 1 FROM contents c WHERE c.id = p.content_id)"));
    }
}
