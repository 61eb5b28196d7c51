using System.Diagnostics;
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
    private readonly DiskSpace _space;
    private readonly TimeSpan _measureEvery;
    private readonly ManualResetEventSlim _stop = new();
    private readonly Thread _thread;

    public WalCheckpointer(StoreOptions options, TimeSpan interval, DiskSpace space)
    {
        _session = SqliteSession.Open(options, readOnly: false);
        _interval = interval < options.FreeSpaceCheckInterval ? interval : options.FreeSpaceCheckInterval;
        _space = space;
        _measureEvery = options.FreeSpaceCheckInterval;
        // Linux keeps 15 characters of a thread's name (perf, top): the writer and the checkpointer stay apart.
        _thread = new Thread(Run) { IsBackground = true, Name = "WAL checkpoints" };
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
        var measured = Stopwatch.GetTimestamp();
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

            // The room for new mail is measured here, off the hot path: a send reads the last figure.
            if (Stopwatch.GetElapsedTime(measured) >= _measureEvery)
            {
                measured = Stopwatch.GetTimestamp();
                try
                {
                    _space.Measure(MailStore.FreePageBytes(_session));
                }
                catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
                {
                    // The next round measures again; until then the last figure stands.
                }
            }
        }
    }
}
