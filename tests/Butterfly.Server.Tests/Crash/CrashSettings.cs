using System.Globalization;

namespace Butterfly.Server.Tests.Crash;

/// <summary>
/// How long the kill -9 harness runs: a few rounds in the test suite, more through the environment
/// (tests/bench/crash-rounds.sh sets them for 100+ rounds on a Release build).
/// </summary>
/// <param name="Rounds">Kill -9 rounds (<c>BUTTERFLY_CRASH_ROUNDS</c>, default 3).</param>
/// <param name="AcknowledgedPerRound">Sends acknowledged in a round before the kill (<c>BUTTERFLY_CRASH_SENDS</c>, default 40).</param>
/// <param name="RetryingSenders">Senders that retry a cut-off send with its submission id (<c>BUTTERFLY_CRASH_RETRYING</c>, default 6).</param>
/// <param name="AbandoningSenders">Senders that give up a cut-off send, as a client without submission ids would (<c>BUTTERFLY_CRASH_ABANDONING</c>, default 2).</param>
/// <param name="ReportPath">A file the totals are appended to (<c>BUTTERFLY_CRASH_REPORT</c>), or null.</param>
internal sealed record CrashSettings(int Rounds, int AcknowledgedPerRound, int RetryingSenders, int AbandoningSenders, string? ReportPath)
{
    public static CrashSettings FromEnvironment() => new(
        Read("BUTTERFLY_CRASH_ROUNDS", 3),
        Read("BUTTERFLY_CRASH_SENDS", 40),
        Read("BUTTERFLY_CRASH_RETRYING", 6),
        Read("BUTTERFLY_CRASH_ABANDONING", 2),
        Environment.GetEnvironmentVariable("BUTTERFLY_CRASH_REPORT") is { Length: > 0 } path ? path : null);

    private static int Read(string name, int fallback)
    {
        var text = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw new InvalidOperationException($"{name}='{text}' is not a whole number.");
    }
}
