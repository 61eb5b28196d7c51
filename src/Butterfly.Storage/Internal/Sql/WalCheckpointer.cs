using Microsoft.Data.Sqlite;

namespace Butterfly.Storage.Internal;

/// <summary>
/// Copies WAL frames into the database file on its own thread and connection (PASSIVE checkpoints, which
/// never block the writer), so the writer's commits stay short. The writer keeps a higher auto-checkpoint
/// threshold as a backstop: when it triggers, most frames are already copied, and the writer's own
/// checkpoint lets the WAL restart from the beginning instead of growing.
/// </summary>
internal sealed class WalCheckpointer : IDisposable
{
    private readonly SqliteSession _session;
    private readonly TimeSpan _interval;
    private readonly ManualResetEventSlim _stop = new();
    private readonly Thread _thread;

    public WalCheckpointer(StoreOptions options, TimeSpan interval)
    {
        _session = SqliteSession.Open(options, readOnly: false);
        _interval = interval;
        _thread = new Thread(Run) { IsBackground = true, Name = "Butterfly store checkpointer" };
        _thread.Start();
    }

    public void Dispose()
    {
        _stop.Set();
        _thread.Join();
        _session.Dispose();
        _stop.Dispose();
    }

    private void Run()
    {
        while (!_stop.Wait(_interval))
        {
            try
            {
                _session.Command("PRAGMA wal_checkpoint(PASSIVE)").ExecuteNonQuery();
            }
            catch (SqliteException)
            {
                // A busy or failed background checkpoint is harmless: the writer's backstop still runs.
            }
        }
    }
}
