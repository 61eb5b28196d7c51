using System.Diagnostics;
using System.Globalization;

namespace Butterfly.Cli.Migration;

/// <summary>
/// The progress of an import on stderr: on a terminal, one line redrawn four times a second (a bar,
/// the count, the rate and the time left); otherwise a line every ten seconds.
/// </summary>
internal sealed class ImportProgress(TextWriter error, bool terminal, long total)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _last = TimeSpan.Zero;

    /// <summary>Shows the figures if it is time to.</summary>
    public void Report(ImportCounts counts, long doneUnits, bool final = false)
    {
        var now = _clock.Elapsed;
        if (!final && now - _last < (terminal ? TimeSpan.FromMilliseconds(250) : TimeSpan.FromSeconds(10)))
        {
            return;
        }

        _last = now;
        var line = Line(counts, doneUnits, now);
        if (terminal)
        {
            error.Write($"\r{line}\u001b[K{(final ? "\n" : string.Empty)}");
        }
        else if (!final)
        {
            error.WriteLine(line);
        }

        error.Flush();
    }

    private string Line(ImportCounts counts, long doneUnits, TimeSpan elapsed)
    {
        var share = total > 0 ? Math.Clamp((double)doneUnits / total, 0, 1) : 0;
        var filled = (int)(share * 20);
        var rate = elapsed.TotalSeconds > 0 ? counts.Done / elapsed.TotalSeconds : 0;
        var left = share > 0 && share < 1 ? TimeSpan.FromSeconds(elapsed.TotalSeconds * (1 - share) / share) : TimeSpan.Zero;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"[{new string('#', filled)}{new string('-', 20 - filled)}] {share:P0} {counts.Done:N0} messages, {rate:N0}/s, {Format(left)} left (duplicates {counts.Duplicates:N0}, refused {counts.Refused:N0})");
    }

    private static string Format(TimeSpan span) =>
        span.TotalHours >= 1 ? $"{(int)span.TotalHours}h{span.Minutes:D2}m" : span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes}m{span.Seconds:D2}s" : $"{span.Seconds}s";
}
