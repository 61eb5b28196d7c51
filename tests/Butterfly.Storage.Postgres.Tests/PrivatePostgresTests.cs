using Butterfly.TestUtilities;
using Npgsql;

namespace Butterfly.Storage.Postgres.Tests;

/// <summary>The private cluster the PostgreSQL store's tests run on: it starts, serves databases, and leaves nothing behind.</summary>
public sealed class PrivatePostgresTests
{
    [Fact]
    public async Task Dispose_AfterTwoDatabases_StopsEveryProcessAndDeletesTheFolder()
    {
        int postmaster;
        IReadOnlyList<int> children;
        string folder;
        using (var cluster = new PrivatePostgres())
        {
            folder = cluster.DataDirectory;
            postmaster = cluster.PostmasterId;
            Assert.NotEqual(0, postmaster);

            var first = cluster.CreateDatabase();
            var second = cluster.CreateDatabase();
            Assert.NotEqual(first, second);
            foreach (var connectionString in new[] { first, second })
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand("SELECT current_database() || ' ' || current_setting('fsync') || ' ' || current_setting('synchronous_commit')", connection);
                var answer = (string)(await command.ExecuteScalarAsync())!;
                Assert.Equal($"{new NpgsqlConnectionStringBuilder(connectionString).Database} on on", answer);
            }

            children = PrivatePostgres.ChildrenOf(postmaster);
            Assert.NotEmpty(children);
        }

        Assert.False(PrivatePostgres.IsAlive(postmaster), "the postmaster still runs");
        await Eventually.TrueAsync(() => children.All(pid => !PrivatePostgres.IsAlive(pid)), "every backend of the cluster has exited");
        Assert.False(Directory.Exists(folder));
    }
}
