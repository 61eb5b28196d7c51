namespace Butterfly.Storage.Postgres.Import;

/// <summary>What a SQLite table holds, counted before the copy: rows, and bytes of its binary columns.</summary>
internal readonly record struct SourceTotals(long Rows, long Bytes);
