namespace Butterfly.Server.Configuration;

/// <summary>
/// Programmable addresses (<c>scripts</c> in butterfly.json): the limits of one run, the worker pool,
/// the failure policy and the run log's retention.
/// </summary>
public sealed class ScriptOptions
{
    /// <summary>Scripts run at once (each run takes one thread while it runs). Default 2.</summary>
    public int Workers { get; set; } = 2;

    /// <summary>JavaScript statements one run may execute. Default 1,000,000.</summary>
    public long MaxStatements { get; set; } = 1_000_000;

    /// <summary>CPU time of one run, in milliseconds. Default 1000.</summary>
    public double MaxCpuMilliseconds { get; set; } = 1000;

    /// <summary>Memory one run may allocate, in bytes. Default 32 MiB.</summary>
    public long MaxMemoryBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>Call depth one run may reach. Default 200.</summary>
    public int MaxRecursionDepth { get; set; } = 200;

    /// <summary>Messages (send, reply, forward) one run may send. Default 1000.</summary>
    public int MaxSends { get; set; } = 1000;

    /// <summary>Size of a script's state JSON, in bytes. Default 1 MiB.</summary>
    public long MaxStateBytes { get; set; } = 1024L * 1024;

    /// <summary>Log lines one run may keep. Default 100.</summary>
    public int MaxLogLines { get; set; } = 100;

    /// <summary>Size of a script's source, in bytes. Default 256 KiB.</summary>
    public long MaxSourceBytes { get; set; } = 256L * 1024;

    /// <summary>
    /// Seconds to wait before each retry of a message whose run failed (past a limit, or threw); when
    /// the list is used up the message is bounced to its sender with the reason. Empty means
    /// <see cref="DefaultRetrySeconds"/>.
    /// </summary>
    public List<double> RetrySeconds { get; set; } = [];

    /// <summary>The failure policy's schedule when <see cref="RetrySeconds"/> is empty: 3 retries.</summary>
    public static IReadOnlyList<double> DefaultRetrySeconds { get; } = [30, 120, 600];

    /// <summary>The schedule in force.</summary>
    public IReadOnlyList<double> EffectiveRetrySeconds => RetrySeconds.Count > 0 ? RetrySeconds : DefaultRetrySeconds;

    /// <summary>Run log rows kept per address (older ones are deleted as new ones come). Default 1000.</summary>
    public int LogRetentionRuns { get; set; } = 1000;

    /// <summary>Checks the values; returns one line per problem.</summary>
    public IEnumerable<string> Validate()
    {
        if (Workers < 1)
        {
            yield return "scripts.workers must be at least 1.";
        }

        if (MaxStatements < 1 || MaxCpuMilliseconds <= 0 || MaxMemoryBytes < 1024 * 1024 || MaxRecursionDepth < 1 || MaxSends < 0 || MaxStateBytes < 2 || MaxLogLines < 0)
        {
            yield return "scripts: maxStatements, maxCpuMilliseconds, maxRecursionDepth and maxStateBytes must be positive, maxMemoryBytes at least 1 MiB, maxSends and maxLogLines 0 or more.";
        }

        if (MaxSourceBytes < 1)
        {
            yield return "scripts.maxSourceBytes must be positive.";
        }

        if (RetrySeconds.Exists(s => s <= 0 || double.IsNaN(s)))
        {
            yield return "scripts.retrySeconds must list positive numbers of seconds.";
        }

        if (LogRetentionRuns < 1)
        {
            yield return "scripts.logRetentionRuns must be at least 1.";
        }
    }
}
