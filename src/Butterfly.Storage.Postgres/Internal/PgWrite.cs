using Npgsql;

namespace Butterfly.Storage.Postgres.Internal;

/// <summary>
/// One connection (and, for writes, its transaction) with the statements the stores share: short
/// helpers for commands with named parameters (<c>@name</c>), and the row helpers of the mailbox,
/// contents, threads and queue, each a port of its SQLite counterpart in Butterfly.Storage/Internal/Writing.
/// </summary>
internal sealed partial class PgWrite
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction? _transaction;

    public PgWrite(NpgsqlConnection connection, NpgsqlTransaction? transaction, PostgresStoreOptions options)
    {
        _connection = connection;
        _transaction = transaction;
        Options = options;
    }

    public PostgresStoreOptions Options { get; }

    /// <summary>The accounts whose state this transaction moved, with their latest modification sequence (<see cref="BumpModSeqAsync"/>).</summary>
    public Dictionary<long, long>? ChangedAccounts { get; private set; }

    /// <summary>A command on this connection and transaction with the given parameters (null is SQL NULL).</summary>
    public NpgsqlCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, _connection, _transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, PgText.Storable(value) ?? DBNull.Value);
        }

        return command;
    }

    /// <summary>
    /// A statement for a <see cref="NpgsqlBatch"/> (<see cref="RunBatchAsync"/>): several statements that need no
    /// answer from one another go in one round trip, and run one after the other, each seeing the ones before.
    /// </summary>
    public static NpgsqlBatchCommand BatchCommand(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, PgText.Storable(value) ?? DBNull.Value);
        }

        return command;
    }

    /// <summary>
    /// Runs <paramref name="commands"/> in one round trip, in order; <paramref name="read"/> gets the reader at the
    /// first result set and moves on with <c>NextResultAsync</c> (statements that return
    /// no rows have none).
    /// </summary>
    public async Task<T> RunBatchAsync<T>(IEnumerable<NpgsqlBatchCommand> commands, Func<NpgsqlDataReader, Task<T>> read)
    {
        await using var batch = new NpgsqlBatch(_connection, _transaction);
        foreach (var command in commands)
        {
            batch.BatchCommands.Add(command);
        }

        await using var reader = await batch.ExecuteReaderAsync().ConfigureAwait(false);
        var result = await read(reader).ConfigureAwait(false);
        while (await reader.NextResultAsync().ConfigureAwait(false))
        {
            // The statements after the last one read still ran; their results are drained here.
        }

        return result;
    }

    public async Task<int> ExecuteAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(sql, parameters);
        return await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    /// <summary>The first column of the first row as a 64-bit integer; null when there is no row or it is NULL.</summary>
    public async Task<long?> Int64Async(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(sql, parameters);
        var value = await command.ExecuteScalarAsync().ConfigureAwait(false);
        return value is null or DBNull ? null : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The first column of the first row as text; null when there is no row or it is NULL.</summary>
    public async Task<string?> TextAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(sql, parameters);
        return await command.ExecuteScalarAsync().ConfigureAwait(false) as string;
    }

    /// <summary>Every row, each read by <paramref name="read"/>.</summary>
    public async Task<List<T>> ListAsync<T>(string sql, Func<NpgsqlDataReader, T> read, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        var rows = new List<T>();
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>The first row read by <paramref name="read"/>, or the default when there is none.</summary>
    public async Task<T?> FirstAsync<T>(string sql, Func<NpgsqlDataReader, T> read, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        return await reader.ReadAsync().ConfigureAwait(false) ? read(reader) : default;
    }
}
