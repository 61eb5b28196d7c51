using System.Globalization;
using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace Butterfly.Storage.Postgres.Import;

/// <summary>
/// SQLite values into PostgreSQL's types (0/1 into booleans, integers into <c>integer</c> columns within range),
/// and both databases' values in one form, so a row read back from each can be compared.
/// </summary>
internal static class ImportValues
{
    private const int Shown = 48;

    /// <summary>Writes one SQLite value (long, string, byte[] or DBNull) into the COPY as the column's type.</summary>
    /// <exception cref="InvalidDataException">The value does not fit the column's type.</exception>
    public static Task WriteAsync(NpgsqlBinaryImporter writer, object value, ImportColumn column, CancellationToken ct) => value switch
    {
        DBNull => writer.WriteNullAsync(ct),
        _ => column.Type switch
        {
            ImportColumnType.Bigint => writer.WriteAsync(Integer(value, column), NpgsqlDbType.Bigint, ct),
            ImportColumnType.Integer => writer.WriteAsync(Int32(value, column), NpgsqlDbType.Integer, ct),
            ImportColumnType.Boolean => writer.WriteAsync(Boolean(value, column), NpgsqlDbType.Boolean, ct),
            ImportColumnType.Text => writer.WriteAsync(Internal.PgText.Storable(value as string ?? throw Unfit(value, column)), NpgsqlDbType.Text, ct),
            _ => writer.WriteAsync(value as byte[] ?? throw Unfit(value, column), NpgsqlDbType.Bytea, ct),
        },
    };

    /// <summary>A value of either database in one form: null, long (integers and booleans as 0/1), string, byte[].</summary>
    public static object? Normal(object value) => value switch
    {
        DBNull => null,
        bool b => b ? 1L : 0L,
        int i => (long)i,
        short s => (long)s,
        _ => value,
    };

    /// <summary>Whether two normal values are the same.</summary>
    public static bool Same(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (byte[] x, byte[] y) => x.AsSpan().SequenceEqual(y),
        (string x, string y) => string.Equals(Internal.PgText.Storable(x), Internal.PgText.Storable(y), StringComparison.Ordinal),
        (null, _) or (_, null) => false,
        _ => a.Equals(b),
    };

    /// <summary>
    /// Orders two keys as both databases' ORDER BY does: integers by value, text by its UTF-8 bytes (SQLite's BINARY,
    /// PostgreSQL's "C"), bytes by memcmp then length.
    /// </summary>
    public static int CompareKeys(object?[] a, object?[] b)
    {
        for (var i = 0; i < a.Length; i++)
        {
            var order = (a[i], b[i]) switch
            {
                (long x, long y) => x.CompareTo(y),
                (string x, string y) => Encoding.UTF8.GetBytes(x).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(y)),
                (byte[] x, byte[] y) => x.AsSpan().SequenceCompareTo(y),
                (null, null) => 0,
                (null, _) => -1,
                (_, null) => 1,
                var (x, y) => string.CompareOrdinal(x.GetType().Name, y.GetType().Name),
            };
            if (order != 0)
            {
                return order;
            }
        }

        return 0;
    }

    /// <summary>A value for a message: text quoted and cut, bytes in hex.</summary>
    public static string Show(object? value) => value switch
    {
        null => "NULL",
        string s => "'" + (s.Length > Shown ? s[..Shown] + "..." : s) + "'",
        byte[] b => "x'" + Convert.ToHexStringLower(b.AsSpan(0, Math.Min(b.Length, Shown / 2))) + (b.Length > Shown / 2 ? "..." : string.Empty) + "'",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>A key as <c>column=value</c> pairs.</summary>
    public static string ShowKey(IReadOnlyList<ImportColumn> key, object?[] values) =>
        string.Join(", ", key.Select((c, i) => c.Name + "=" + Show(values[i])));

    private static long Integer(object value, ImportColumn column) => value as long? ?? throw Unfit(value, column);

    private static int Int32(object value, ImportColumn column) =>
        Integer(value, column) is var n && n is >= int.MinValue and <= int.MaxValue ? (int)n : throw Unfit(value, column);

    private static bool Boolean(object value, ImportColumn column) => Integer(value, column) switch
    {
        0 => false,
        1 => true,
        _ => throw Unfit(value, column),
    };

    private static InvalidDataException Unfit(object value, ImportColumn column) =>
        new($"column {column.Name} holds {Show(Normal(value))}, which a PostgreSQL {column.Type.ToString().ToLowerInvariant()} cannot hold");
}
