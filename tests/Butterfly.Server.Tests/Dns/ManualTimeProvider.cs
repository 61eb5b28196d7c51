namespace Butterfly.Server.Tests.Dns;

/// <summary>
/// A clock the test moves by hand. Only the wall clock is faked: timers stay real, so per-attempt timeouts
/// still fire while TTL expiry follows <see cref="Advance"/>.
/// </summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private long _ticks = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
