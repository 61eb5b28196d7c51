namespace Butterfly.TestUtilities;

/// <summary>
/// Waits for a condition that something else makes true (a count dropping, a log line, a
/// message arriving), polling it with a deadline that fails loudly: for state a test cannot be
/// told about by an event (STYLE.md, habit 20). Never use it to wait for "nothing more happens".
/// </summary>
public static class Eventually
{
    /// <summary>The deadline when none is given.</summary>
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(30);

    /// <summary>Returns once <paramref name="condition"/> holds.</summary>
    /// <param name="condition">Checked at once, then after each pause.</param>
    /// <param name="what">What is awaited, for the failure message.</param>
    /// <param name="within">The deadline; <see cref="DefaultDeadline"/> when null.</param>
    /// <exception cref="TimeoutException">It did not hold in time.</exception>
    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? within = null) =>
        TrueAsync(() => Task.FromResult(condition()), what, within);

    /// <summary>Returns once the asynchronous <paramref name="condition"/> holds (it may ask a server).</summary>
    /// <param name="condition">Checked at once, then after each pause.</param>
    /// <param name="what">What is awaited, for the failure message.</param>
    /// <param name="within">The deadline; <see cref="DefaultDeadline"/> when null.</param>
    /// <exception cref="TimeoutException">It did not hold in time.</exception>
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? DefaultDeadline);
        var pause = TimeSpan.FromMilliseconds(1);
        while (!await condition())
        {
            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"Timed out waiting until {what}.");
            }

            await Task.Delay(pause);
            pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 200));
        }
    }
}
