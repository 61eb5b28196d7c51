using System.Runtime;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Sessions;

/// <summary>
/// Gives memory back once a burst is over (protocol/framing.md, "Limits"). The limits bound what
/// clients make the daemon hold while they are connected, but what was freed when they left stays
/// committed until the next collection, and a quiet daemon allocates too little to start one: the
/// large answers a non-reading client was owed stay resident long after it is gone. When the daemon
/// has allocated little for a while, its committed heap is above a floor, and connections have ended
/// since the last such collection (or the heap has grown half again since), this runs one compacting
/// collection that decommits what it frees, then asks the C library to return its free heap
/// (SQLite's buffers for large blobs) to the system. On glibc it also fixes the size from which
/// allocations are mapped on their own at 1 MiB (glibc raises it up to 32 MiB as large blocks are
/// freed, after which a message-sized buffer stays in its heap): measured with tests/bench/memory.sh,
/// this took the daemon from 311 to 289 MB while three clients hoarded answers, and from 154 to
/// 115 MB after.
/// </summary>
internal sealed partial class MemoryRelief(ILogger<MemoryRelief> logger) : BackgroundService
{
    private static readonly TimeSpan _period = TimeSpan.FromSeconds(5);

    // Allocated within one period: below this the daemon counts as quiet.
    private const long QuietBytes = 8 << 20;

    // Committed heap below this is left alone.
    private const long FloorBytes = 48 << 20;

    private long _committedAfterRelief;
    private int _connectionsEnded;

    /// <summary>Tells it a connection has ended: what it held may now be garbage.</summary>
    public void ConnectionEnded() => Interlocked.Increment(ref _connectionsEnded);

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        FixMmapThreshold();
        using var timer = new PeriodicTimer(_period);
        var allocated = GC.GetTotalAllocatedBytes();
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = GC.GetTotalAllocatedBytes();
                var quiet = now - allocated < QuietBytes;
                allocated = now;
                var committed = GC.GetGCMemoryInfo().TotalCommittedBytes;
                var grown = committed > _committedAfterRelief * 3 / 2 || Volatile.Read(ref _connectionsEnded) > 0;
                if (quiet && committed > FloorBytes && grown)
                {
                    Relieve(committed);
                    allocated = GC.GetTotalAllocatedBytes();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private void Relieve(long committed)
    {
        Interlocked.Exchange(ref _connectionsEnded, 0);
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        _committedAfterRelief = GC.GetGCMemoryInfo().TotalCommittedBytes;
        if (OperatingSystem.IsLinux())
        {
            try
            {
                _ = MallocTrim(0);
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
            {
                // Not glibc (musl has no malloc_trim): the managed heap is given back all the same.
            }
        }

        LogRelieved(logger, committed >> 20, _committedAfterRelief >> 20);
    }

    private static void FixMmapThreshold()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            _ = MallOpt(MmapThreshold, 1 << 20);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc.
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Quiet after a burst: the managed heap went from {Before} MiB to {After} MiB committed")]
    private static partial void LogRelieved(ILogger logger, long before, long after);

    // A plain DllImport: a blittable call with no marshalling, so the project needs no unsafe code for it.
    [DllImport("libc", EntryPoint = "malloc_trim")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int MallocTrim(nuint pad);

    // M_MMAP_THRESHOLD in glibc's malloc.h.
    private const int MmapThreshold = -3;

    [DllImport("libc", EntryPoint = "mallopt")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int MallOpt(int parameter, int value);
}
