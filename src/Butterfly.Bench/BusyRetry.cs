using Butterfly.Client;

namespace Butterfly.Bench;

/// <summary>
/// Logs a bench connection in again while the server answers <c>server.busy</c>: the daemon hashes
/// passwords on a bounded pool and refuses logins past its queue (protocol/client.md, "login"),
/// and a bench opens many connections at once.
/// </summary>
internal static class BusyRetry
{
    private static readonly TimeSpan _giveUpAfter = TimeSpan.FromSeconds(60);

    /// <summary>Runs <paramref name="login"/>, and again after a short wait each time it is refused as busy.</summary>
    /// <param name="login">The login exchange.</param>
    /// <param name="ct">Stops waiting.</param>
    /// <exception cref="ButterflyException">Refused for another reason, or still busy after a minute.</exception>
    public static async Task LoginAsync(Func<Task> login, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + _giveUpAfter;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await login();
                return;
            }
            catch (ButterflyException ex) when (ex.Code == "server.busy" && DateTime.UtcNow < deadline)
            {
                // Back off a little more each time, so a crowd of connections spreads out.
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(20 * attempt, 500) + Random.Shared.Next(20)), ct);
            }
        }
    }
}
