using System.Globalization;

namespace Butterfly.Server.Configuration;

/// <summary>
/// The mail store (<c>store</c> in butterfly.json): which database, and for SQLite its room on disk.
/// </summary>
public sealed class StorageOptions
{
    /// <summary>The embedded default: one SQLite file in the data folder, one daemon.</summary>
    public const string Sqlite = "sqlite";

    /// <summary>A PostgreSQL database that any number of daemons share.</summary>
    public const string Postgres = "postgres";

    /// <summary>
    /// <c>sqlite</c> (the default: <c>butterfly.db</c> in the data folder, nothing to run) or <c>postgres</c>
    /// (<see cref="ConnectionString"/>; several daemons may serve one domain from it).
    /// </summary>
    public string Kind { get; set; } = Sqlite;

    /// <summary>
    /// For <c>postgres</c>: an Npgsql connection string, e.g. <c>Host=/run/postgresql;Database=butterfly;Username=butterfly</c>.
    /// A password in it is better kept in a <c>.pgpass</c> file or <c>PGPASSWORD</c>.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// For <c>postgres</c>: the text search configuration search vectors are built with. Default <c>simple</c>
    /// (no stemming, as SQLite's search); <c>english</c>, <c>german</c>, ... stem for one language.
    /// </summary>
    public string TextSearch { get; set; } = "simple";

    /// <summary>
    /// For <c>postgres</c>: seconds a daemon's claim on queued work (an outbound delivery, held mail, a
    /// script's run) lasts before another daemon may take it over, as after a crash. Default 60.
    /// </summary>
    public double LeaseSeconds { get; set; } = 60;

    /// <summary>Whether the store is PostgreSQL.</summary>
    public bool IsPostgres => string.Equals(Kind, Postgres, StringComparison.Ordinal);

    /// <summary>
    /// New mail (sends, peer deliveries, uploads, drafts) is refused with the temporary error
    /// <c>storage.full</c> while it would leave less room than this in the data folder: free disk space
    /// plus the database's free pages. Deleting, moving and flagging mail go on. Default 64 MiB.
    /// </summary>
    public long MinFreeBytes { get; set; } = 64L << 20;

    /// <summary>
    /// The reserve file (<c>butterfly.reserve</c> in the data folder) given up when a delete, move, flag
    /// change or folder deletion finds the disk full, so that it can still commit; made again when space
    /// returns. 0 keeps none. Default 8 MiB.
    /// </summary>
    public long ReserveBytes { get; set; } = 8L << 20;

    /// <summary>Seconds between measurements of the room (in the background). Default 1.</summary>
    public double FreeSpaceCheckSeconds { get; set; } = 1;

    internal IEnumerable<string> Validate()
    {
        if (Kind is not (Sqlite or Postgres))
        {
            yield return $"store.kind must be \"sqlite\" or \"postgres\" (it is \"{Kind}\").";
        }

        if (IsPostgres && string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return "store.connectionString is required when store.kind is \"postgres\" (an Npgsql connection string: Host=...;Database=...;Username=...).";
        }

        if (IsPostgres && !string.IsNullOrWhiteSpace(ConnectionString) && ConnectionStringProblem(ConnectionString) is { } problem)
        {
            yield return $"store.connectionString: {problem}";
        }

        if (string.IsNullOrWhiteSpace(TextSearch))
        {
            yield return "store.textSearch must name a text search configuration (e.g. \"simple\" or \"english\").";
        }

        if (!(LeaseSeconds >= 1) || LeaseSeconds > 86400)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"store.leaseSeconds must be at least 1 and at most 86400 (it is {LeaseSeconds}).");
        }

        if (MinFreeBytes < 0)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"store.minFreeBytes must be 0 or more (it is {MinFreeBytes}).");
        }

        if (ReserveBytes < 0)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"store.reserveBytes must be 0 (none) or more (it is {ReserveBytes}).");
        }

        if (!(FreeSpaceCheckSeconds > 0) || FreeSpaceCheckSeconds > 3600)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"store.freeSpaceCheckSeconds must be more than 0 and at most 3600 (it is {FreeSpaceCheckSeconds}).");
        }
    }

    private static string? ConnectionStringProblem(string text)
    {
        try
        {
            _ = new Npgsql.NpgsqlConnectionStringBuilder(text);
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }
}
