namespace Butterfly.Storage.Postgres.Import;

/// <summary>One table's rows on both sides, as counted by the verification.</summary>
/// <param name="Table">The table.</param>
/// <param name="SourceRows">Rows in the SQLite database.</param>
/// <param name="TargetRows">Rows in the PostgreSQL database after the commit.</param>
/// <param name="Bytes">Bytes of binary columns copied (message contents, token hashes).</param>
public sealed record ImportTableCount(string Table, long SourceRows, long TargetRows, long Bytes);
