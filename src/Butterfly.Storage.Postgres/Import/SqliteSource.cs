using Butterfly.Storage.Internal;
using Microsoft.Data.Sqlite;

namespace Butterfly.Storage.Postgres.Import;

/// <summary>
/// The SQLite database being moved, opened read-only (nothing the migration does can change it) inside one read
/// transaction, so every table is read from the same moment even if the caller's lock were not respected.
/// </summary>
internal sealed class SqliteSource : IAsyncDisposable
{
    private SqliteSource(SqliteConnection connection, SqliteTransaction transaction)
    {
        Connection = connection;
        Transaction = transaction;
    }

    public SqliteConnection Connection { get; }

    public SqliteTransaction Transaction { get; }

    public static async Task<SqliteSource> OpenAsync(string path, CancellationToken ct)
    {
        SqliteEnvironment.EnsureInitialized();
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            return new SqliteSource(connection, transaction);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The schema version (<c>PRAGMA user_version</c>).</summary>
    public async Task<long> SchemaVersionAsync(CancellationToken ct) => await ScalarAsync("PRAGMA user_version", ct).ConfigureAwait(false);

    /// <summary>Rows and bytes of binary columns in <paramref name="table"/>.</summary>
    public async Task<SourceTotals> TotalsAsync(ImportTable table, CancellationToken ct)
    {
        var rows = await ScalarAsync($"SELECT COUNT(*) FROM {table.Quoted}", ct).ConfigureAwait(false);
        var blobs = table.Columns.Where(c => c.Type == ImportColumnType.Bytea).Select(c => $"COALESCE(SUM(length({c.Quoted})), 0)").ToList();
        var bytes = blobs.Count == 0 ? 0 : await ScalarAsync($"SELECT {string.Join(" + ", blobs)} FROM {table.Quoted}", ct).ConfigureAwait(false);
        return new SourceTotals(rows, bytes);
    }

    /// <summary>The highest id each AUTOINCREMENT table ever handed out (<c>sqlite_sequence</c>): ids of deleted rows are not reused.</summary>
    public async Task<Dictionary<string, long>> SequencesAsync(CancellationToken ct)
    {
        var sequences = new Dictionary<string, long>(StringComparer.Ordinal);
        if (await ScalarAsync("SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_sequence'", ct).ConfigureAwait(false) == 0)
        {
            return sequences;
        }

        await using var command = Command("SELECT name, seq FROM sqlite_sequence");
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            sequences[reader.GetString(0)] = reader.GetInt64(1);
        }

        return sequences;
    }

    public SqliteCommand Command(string sql) => new(sql, Connection, Transaction);

    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync().ConfigureAwait(false);
        await Connection.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<long> ScalarAsync(string sql, CancellationToken ct)
    {
        await using var command = Command(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }
}
