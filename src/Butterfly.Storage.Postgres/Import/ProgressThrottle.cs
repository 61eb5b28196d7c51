using System.Diagnostics;

namespace Butterfly.Storage.Postgres.Import;

/// <summary>Passes progress on at most twice a second per phase, and always the report that ends a table.</summary>
internal sealed class ProgressThrottle(IProgress<ImportProgress>? progress)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);
    private long _last;

    public void Report(ImportProgress value)
    {
        if (progress is null)
        {
            return;
        }

        if (value.Done || Stopwatch.GetElapsedTime(_last) >= Interval)
        {
            _last = Stopwatch.GetTimestamp();
            progress.Report(value);
        }
    }
}
