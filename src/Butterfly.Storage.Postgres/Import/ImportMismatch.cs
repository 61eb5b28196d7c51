namespace Butterfly.Storage.Postgres.Import;

/// <summary>A row the verification found different between the two databases.</summary>
/// <param name="Table">The table.</param>
/// <param name="Key">The row's primary key, as <c>column=value</c> pairs.</param>
/// <param name="Problem">What differs: missing in the target, not in the source, a column's value, a content hash.</param>
public sealed record ImportMismatch(string Table, string Key, string Problem);
