using System.Globalization;

namespace Butterfly.Bench;

/// <summary>A process's resident memory now and at its peak, from <c>/proc/PID/status</c> (Linux).</summary>
/// <param name="Rss">VmRSS: resident now, in bytes.</param>
/// <param name="HighWater">VmHWM: the most it has ever been resident, in bytes.</param>
public readonly record struct ProcessMemory(long Rss, long HighWater)
{
    /// <summary>Reads the figures of process <paramref name="pid"/>.</summary>
    /// <exception cref="IOException">The process is gone, or this is not Linux.</exception>
    public static ProcessMemory Read(int pid)
    {
        long rss = 0, hwm = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kilobytes(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                hwm = Kilobytes(line);
            }
        }

        return new ProcessMemory(rss, hwm);
    }

    // "VmRSS:	   65432 kB"
    private static long Kilobytes(string line) =>
        long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture) * 1024;
}
