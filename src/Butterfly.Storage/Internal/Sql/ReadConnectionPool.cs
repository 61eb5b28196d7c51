using System.Collections.Concurrent;

namespace Butterfly.Storage.Internal;

/// <summary>
/// A small pool of read-only connections. WAL lets them read while the writer writes; each sees the
/// last committed state when its statement (or read transaction) starts.
/// </summary>
internal sealed class ReadConnectionPool : IDisposable
{
    private readonly StoreOptions _options;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentBag<SqliteSession> _idle = [];
    private volatile bool _disposed;

    public ReadConnectionPool(StoreOptions options)
    {
        _options = options;
        _slots = new SemaphoreSlim(options.ReadConnections, options.ReadConnections);
    }

    public async ValueTask<ReadLease> RentAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (_idle.TryTake(out var session))
        {
            return new ReadLease(this, session);
        }

        try
        {
            return new ReadLease(this, SqliteSession.Open(_options, readOnly: true));
        }
        catch
        {
            _slots.Release();
            throw;
        }
    }

    internal void Return(SqliteSession session)
    {
        if (_disposed)
        {
            session.Dispose();
        }
        else
        {
            _idle.Add(session);
        }

        _slots.Release();
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var session))
        {
            session.Dispose();
        }
    }
}
