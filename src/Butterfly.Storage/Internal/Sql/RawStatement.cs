using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Butterfly.Storage.Internal;

/// <summary>
/// A statement prepared once on the writer connection and driven through SQLitePCL directly: no
/// boxing, no data reader, blobs bound straight from spans. Used for the few statements every delivery
/// runs; the rest go through Microsoft.Data.Sqlite. Parameters are <c>$name</c>, as everywhere in the
/// store; their positions are looked up once, when the statement is prepared.
/// </summary>
internal sealed class RawStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _stmt;
    private readonly Dictionary<string, int> _positions = new(StringComparer.Ordinal);

    public RawStatement(sqlite3 db, string sql)
    {
        _db = db;
        Check(raw.sqlite3_prepare_v3(db, sql, raw.SQLITE_PREPARE_PERSISTENT, out _stmt));
        foreach (var name in SqlParameterNames.Find(sql))
        {
            _positions.Add(name, raw.sqlite3_bind_parameter_index(_stmt, name));
        }
    }

    public RawStatement Int64(string name, long value)
    {
        Check(raw.sqlite3_bind_int64(_stmt, _positions[name], value));
        return this;
    }

    public RawStatement Text(string name, string? value)
    {
        var index = _positions[name];
        // UTF-16 straight from the string: SQLite converts it in C, where the string overload would first
        // allocate its UTF-8 copy on the managed heap (a message body: tens of KB per delivery).
        Check(value is null ? raw.sqlite3_bind_null(_stmt, index) : raw.sqlite3_bind_text16(_stmt, index, value.AsSpan()));
        return this;
    }

    public RawStatement Blob(string name, ReadOnlySpan<byte> value)
    {
        // SQLite copies the bytes (SQLITE_TRANSIENT); an empty span would bind NULL, so bind an empty blob.
        var index = _positions[name];
        Check(value.IsEmpty ? raw.sqlite3_bind_zeroblob(_stmt, index, 0) : raw.sqlite3_bind_blob(_stmt, index, value));
        return this;
    }

    /// <summary>Runs the statement to its first row and returns column 0, or null when there is no row.</summary>
    public long? ScalarInt64()
    {
        try
        {
            return Step() ? raw.sqlite3_column_int64(_stmt, 0) : null;
        }
        finally
        {
            Reset();
        }
    }

    /// <summary>Runs the statement to its first row and returns columns 0 and 1, or null when there is no row.</summary>
    public (long First, long Second)? PairInt64()
    {
        try
        {
            return Step() ? (raw.sqlite3_column_int64(_stmt, 0), raw.sqlite3_column_int64(_stmt, 1)) : null;
        }
        finally
        {
            Reset();
        }
    }

    /// <summary>Runs the statement to its first row; whether it has one and column 0 holds exactly <paramref name="expected"/>.</summary>
    public bool ScalarBlobEquals(ReadOnlySpan<byte> expected)
    {
        try
        {
            return Step() && raw.sqlite3_column_blob(_stmt, 0).SequenceEqual(expected);
        }
        finally
        {
            Reset();
        }
    }

    /// <summary>Runs the statement; the number of rows it changed.</summary>
    public int ExecuteChanges()
    {
        Execute();
        return raw.sqlite3_changes(_db);
    }

    public void Execute()
    {
        try
        {
            Step();
        }
        finally
        {
            Reset();
        }
    }

    public void Dispose() => raw.sqlite3_finalize(_stmt);

    private bool Step()
    {
        var rc = raw.sqlite3_step(_stmt);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }

        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }

        return false;
    }

    private void Reset()
    {
        // Reset so the statement holds no lock and releases its copy of a large blob.
        raw.sqlite3_reset(_stmt);
        raw.sqlite3_clear_bindings(_stmt);
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }
}
