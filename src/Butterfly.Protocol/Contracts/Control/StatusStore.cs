namespace Butterfly.Protocol.Contracts;

/// <summary>The database's size on disk in a <see cref="StatusReply"/>.</summary>
/// <param name="DatabaseBytes">butterfly.db (0 on PostgreSQL, whose files are the database server's).</param>
/// <param name="WalBytes">Its write-ahead log (0 on PostgreSQL).</param>
/// <param name="Commits">Transactions committed since the start (by this daemon's SQLite writer; 0 on PostgreSQL).</param>
/// <param name="Database">Which database: "SQLite PATH" or "PostgreSQL HOST:PORT/NAME".</param>
public sealed record StatusStore(long DatabaseBytes, long WalBytes, long Commits, string? Database = null);
