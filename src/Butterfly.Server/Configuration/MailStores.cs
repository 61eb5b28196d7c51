using Butterfly.Storage;
using Butterfly.Storage.Postgres;
using Npgsql;

namespace Butterfly.Server.Configuration;

/// <summary>
/// Opens the store butterfly.json names (<c>store.kind</c>): the SQLite file in the data folder, or a PostgreSQL
/// database that several daemons share. The daemon and the operator's tools open it here, and see only
/// <see cref="IMailStore"/> from then on.
/// </summary>
public static class MailStores
{
    /// <summary>Opens the store and applies its schema migrations.</summary>
    /// <param name="options">The configuration.</param>
    /// <param name="notice">Told what the SQLite store does about disk space, for the log.</param>
    /// <param name="ct">Cancels the opening.</param>
    /// <exception cref="StoreException">The database cannot be used (a newer schema; a PostgreSQL server that is unreachable or would lose commits).</exception>
    public static async Task<IMailStore> OpenAsync(ButterflyOptions options, Action<string>? notice, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Store.IsPostgres)
        {
            return await MailStore.OpenAsync(options.ToStoreOptions(notice), ct).ConfigureAwait(false);
        }

        try
        {
            return await PostgresMailStore.OpenAsync(options.ToPostgresStoreOptions(), ct).ConfigureAwait(false);
        }
        catch (NpgsqlException e) when (e is not PostgresException)
        {
            // Refused, unreachable, no such host: say which database, without the connection string's password.
            throw new StoreException($"Cannot reach the PostgreSQL server of store.connectionString ({PostgresMailStore.Describe(options.Store.ConnectionString!)}): {e.Message}", e);
        }
        catch (PostgresException e)
        {
            throw new StoreException($"The PostgreSQL server of store.connectionString ({PostgresMailStore.Describe(options.Store.ConnectionString!)}) refused: {e.MessageText} ({e.SqlState})", e);
        }
    }
}
