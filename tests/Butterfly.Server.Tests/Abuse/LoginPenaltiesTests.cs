using System.Net;
using Butterfly.Server.Commands;
using Butterfly.Server.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace Butterfly.Server.Tests.Abuse;

/// <summary><see cref="LoginPenalties"/> on a fake clock: how the wait grows, shrinks with time, and is forgotten.</summary>
public sealed class LoginPenaltiesTests
{
    private static readonly SourceKey Attacker = SourceKey.Of(IPAddress.Parse("192.0.2.7"));
    private static readonly SourceKey Other = SourceKey.Of(IPAddress.Parse("198.51.100.9"));

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Failed_EachFailure_DoublesTheWaitUpToTheMaximum()
    {
        var penalties = Create();
        var waits = new List<double>();
        for (var i = 0; i < 6; i++)
        {
            penalties.Failed(Attacker, "alice@example.org");
            waits.Add(penalties.WaitBefore(Attacker, "someone-else@example.org").Wait.TotalSeconds);
        }

        Assert.Equal([2, 4, 8, 15, 15, 15], waits);
    }

    [Fact]
    public void WaitBefore_TimePasses_CountsFromTheLastFailure()
    {
        var penalties = Create();
        penalties.Failed(Attacker, "alice@example.org");
        penalties.Failed(Attacker, "alice@example.org");

        _time.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(TimeSpan.FromSeconds(1), penalties.WaitBefore(Attacker, "x@example.org").Wait);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.Zero, penalties.WaitBefore(Attacker, "x@example.org").Wait);

        // Still remembered: the next failure waits 8 s, not 2.
        Assert.Equal(TimeSpan.FromSeconds(8), penalties.Failed(Attacker, "x@example.org").Next);
    }

    [Fact]
    public void WaitBefore_QuietPeriodPassed_FailuresAreForgotten()
    {
        var penalties = Create();
        for (var i = 0; i < 5; i++)
        {
            penalties.Failed(Attacker, "alice@example.org");
        }

        _time.Advance(TimeSpan.FromSeconds(899));
        Assert.Equal(TimeSpan.Zero, penalties.WaitBefore(Attacker, "x@example.org").Wait);
        Assert.Equal(1, penalties.TrackedSources);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.Zero, penalties.WaitBefore(Attacker, "alice@example.org").Wait);
        Assert.Equal(0, penalties.TrackedSources);
        Assert.Equal((1, TimeSpan.FromSeconds(2)), penalties.Failed(Attacker, "x@example.org"));
    }

    [Fact]
    public void WaitBefore_AccountGuessedFromManyAddresses_SlowsItFromEveryAddress()
    {
        var penalties = Create();
        for (var n = 1; n <= 4; n++)
        {
            penalties.Failed(SourceKey.Of(IPAddress.Parse($"203.0.113.{n}")), "Alice@Example.org");
        }

        Assert.Equal(TimeSpan.FromSeconds(15), penalties.WaitBefore(Other, "alice@example.org").Wait);
        Assert.Equal(TimeSpan.Zero, penalties.WaitBefore(Other, "bob@example.org").Wait);
    }

    [Fact]
    public void WaitBefore_SourceOrAccountWithFailures_IsSuspectUntilForgotten()
    {
        var penalties = Create();
        penalties.Failed(Attacker, "alice@example.org");
        _time.Advance(TimeSpan.FromSeconds(10));

        // The wait is over, but the record stays: such checks go through the suspect lane.
        Assert.Equal((TimeSpan.Zero, true), penalties.WaitBefore(Attacker, "bob@example.org"));
        Assert.Equal((TimeSpan.Zero, true), penalties.WaitBefore(Other, "alice@example.org"));
        Assert.Equal((TimeSpan.Zero, false), penalties.WaitBefore(Other, "bob@example.org"));

        _time.Advance(TimeSpan.FromSeconds(900));
        Assert.Equal((TimeSpan.Zero, false), penalties.WaitBefore(Attacker, "alice@example.org"));
    }

    [Fact]
    public void Succeeded_ClearsTheSourceAndTheAccount()
    {
        var penalties = Create();
        penalties.Failed(Attacker, "alice@example.org");
        penalties.Failed(Attacker, "alice@example.org");

        penalties.Succeeded(Attacker, "alice@example.org");

        Assert.Equal(TimeSpan.Zero, penalties.WaitBefore(Attacker, "alice@example.org").Wait);
    }

    [Fact]
    public void Failed_PerAccountOff_OnlyTheSourceIsSlowed()
    {
        var penalties = Create(o => o.PerAccount = false);
        penalties.Failed(Attacker, "alice@example.org");

        Assert.Equal(TimeSpan.Zero, penalties.WaitBefore(Other, "alice@example.org").Wait);
        Assert.Equal(TimeSpan.FromSeconds(2), penalties.WaitBefore(Attacker, "bob@example.org").Wait);
    }

    [Fact]
    public void Failed_ManySources_StaysWithinMaxTracked()
    {
        var penalties = Create(o => o.MaxTracked = 100);
        for (var n = 0; n < 1000; n++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(1));
            penalties.Failed(SourceKey.Of(new IPAddress(0x0A000000u + (uint)n)), $"user{n}@example.org");
        }

        Assert.InRange(penalties.TrackedSources, 1, 100);
        Assert.InRange(penalties.TrackedAccounts, 1, 100);

        // The most recent failure is among those kept.
        Assert.NotEqual(TimeSpan.Zero, penalties.WaitBefore(Other, "user999@example.org").Wait);
    }

    [Fact]
    public void SourceKey_IPv6AddressesOfOneSlash64_AreOneSource()
    {
        var one = SourceKey.Of(IPAddress.Parse("2001:db8:1:2::1"));
        var two = SourceKey.Of(IPAddress.Parse("2001:db8:1:2:ffff:ffff:ffff:ffff"));
        var next = SourceKey.Of(IPAddress.Parse("2001:db8:1:3::1"));

        Assert.Equal(one, two);
        Assert.NotEqual(one, next);
        Assert.Equal("2001:db8:1:2::/64", one.ToString());
        Assert.Equal(SourceKey.Of(IPAddress.Parse("192.0.2.7")), SourceKey.Of(IPAddress.Parse("::ffff:192.0.2.7")));
        Assert.Equal(SourceKey.Of(IPAddress.Parse("192.0.2.7")), SourceKey.Parse("[192.0.2.7]"));
    }

    private LoginPenalties Create(Action<LoginPenaltyOptions>? configure = null)
    {
        var options = new LoginPenaltyOptions();
        configure?.Invoke(options);
        return new LoginPenalties(options, _time);
    }
}
