using System.Globalization;

namespace Butterfly.TestUtilities;

/// <summary>
/// The processes a chromedriver started (Chromium's browser, renderer, GPU and zygote processes),
/// found through /proc and remembered with their start times, so that they can be killed by PID
/// afterwards without ever hitting a process that reused a number.
/// </summary>
public static class ChromiumProcesses
{
    /// <summary>Every process below <paramref name="root"/> (not the root itself), with its start time.</summary>
    public static IReadOnlyList<(int Pid, long StartTime)> Descendants(int root)
    {
        var parents = new Dictionary<int, (int Parent, long StartTime)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Stat(pid) is { } stat)
            {
                parents[pid] = stat;
            }
        }

        var found = new List<(int, long)>();
        var wanted = new HashSet<int> { root };
        bool added;
        do
        {
            added = false;
            foreach (var (pid, (parent, start)) in parents)
            {
                if (wanted.Contains(parent) && wanted.Add(pid))
                {
                    found.Add((pid, start));
                    added = true;
                }
            }
        }
        while (added);
        return found;
    }

    /// <summary>Kills each listed process that still runs with the same start time (SIGKILL).</summary>
    public static void KillIfStillRunning(IEnumerable<(int Pid, long StartTime)> processes)
    {
        foreach (var (pid, start) in processes)
        {
            if (Stat(pid) is { } stat && stat.StartTime == start)
            {
                try
                {
                    using var process = System.Diagnostics.Process.GetProcessById(pid);
                    process.Kill();
                }
                catch (ArgumentException)
                {
                    // Gone between the look and the kill.
                }
                catch (InvalidOperationException)
                {
                    // Exited meanwhile.
                }
            }
        }
    }

    // /proc/PID/stat: "pid (comm) state ppid ... starttime(22nd field) ..."; comm may hold spaces and parentheses, so split after the last ')'.
    private static (int Parent, long StartTime)? Stat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return fields.Length > 19
            ? (int.Parse(fields[1], CultureInfo.InvariantCulture), long.Parse(fields[19], CultureInfo.InvariantCulture))
            : null;
    }
}
