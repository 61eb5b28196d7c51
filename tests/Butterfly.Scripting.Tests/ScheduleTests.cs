namespace Butterfly.Scripting.Tests;

public class ScheduleTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1, 15, 7, 59, 1, 15, 8, 0)]   // winter, CET (+1): 09:00 local is 08:00 UTC
    [InlineData(1, 15, 8, 0, 1, 16, 8, 0)]    // exactly at the time: the next day
    [InlineData(7, 1, 6, 0, 7, 1, 7, 0)]      // summer, CEST (+2): 09:00 local is 07:00 UTC
    [InlineData(3, 28, 8, 30, 3, 29, 7, 0)]   // across the spring change (29 March 2026): 23 hours later
    [InlineData(10, 24, 8, 0, 10, 25, 8, 0)]  // across the autumn change (25 October 2026): 25 hours later
    public void NextAfter_DailyInBerlin_FollowsLocalTime(int month, int day, int hour, int minute, int nextMonth, int nextDay, int nextHour, int nextMinute)
    {
        var schedule = ScriptSchedule.Daily(new TimeOnly(9, 0), Berlin);

        Assert.Equal(Utc(nextMonth, nextDay, nextHour, nextMinute), schedule.NextAfter(Utc(month, day, hour, minute)));
    }

    [Fact]
    public void NextAfter_DailyTimeSkippedBySpringForward_FiresAfterTheGap()
    {
        // 02:30 does not exist in Berlin on 29 March 2026: it fires at 03:30 CEST (01:30 UTC).
        var schedule = ScriptSchedule.Daily(new TimeOnly(2, 30), Berlin);

        Assert.Equal(Utc(3, 29, 1, 30), schedule.NextAfter(Utc(3, 28, 12)));
    }

    [Fact]
    public void NextAfter_DailyTimeRepeatedByFallBack_FiresTheFirstTimeOnly()
    {
        // 02:30 happens twice in Berlin on 25 October 2026: first at 00:30 UTC (CEST), then 01:30 UTC (CET).
        var schedule = ScriptSchedule.Daily(new TimeOnly(2, 30), Berlin);

        Assert.Equal(Utc(10, 25, 0, 30), schedule.NextAfter(Utc(10, 24, 12)));
        Assert.Equal(Utc(10, 26, 1, 30), schedule.NextAfter(Utc(10, 25, 0, 30)));
    }

    [Fact]
    public void NextAfter_DailyInFarZone_CanBeEarlierTheSameUtcDay()
    {
        // Pacific/Kiritimati is UTC+14: 09:00 local on 2 March is 19:00 UTC on 1 March.
        var schedule = ScriptSchedule.TryDaily("09:00", "Pacific/Kiritimati", out var error)!;

        Assert.Null(error);
        Assert.Equal(Utc(3, 1, 19), schedule.NextAfter(Utc(3, 1, 12)));
    }

    [Fact]
    public void NextAfter_DailyUtcByDefault()
    {
        var schedule = ScriptSchedule.TryDaily("23:30", null, out _)!;

        Assert.Equal(Utc(3, 1, 23, 30), schedule.NextAfter(Utc(3, 1, 12)));
        Assert.Equal("daily at 23:30 UTC", schedule.ToString());
    }

    [Theory]
    [InlineData(15, 12, 0, 12, 15)]
    [InlineData(15, 12, 14, 12, 15)]
    [InlineData(15, 12, 15, 12, 30)]
    [InlineData(60, 12, 59, 13, 0)]
    [InlineData(7, 0, 0, 0, 1)]   // aligned to the epoch, not to the hour: 00:01 is a multiple of 7 minutes since 1970
    public void NextAfter_EveryMinutes_AlignedToTheEpoch(int minutes, int hour, int minute, int nextHour, int nextMinute)
    {
        var schedule = ScriptSchedule.Every(minutes);

        Assert.Equal(Utc(3, 2, nextHour, nextMinute), schedule.NextAfter(Utc(3, 2, hour, minute)));
    }

    [Fact]
    public void NextAfter_EveryMinutes_NeverRepeatsAnInstant()
    {
        var schedule = ScriptSchedule.Every(5);
        var at = Utc(3, 2, 0, 0).AddSeconds(1);
        for (var i = 0; i < 50; i++)
        {
            var next = schedule.NextAfter(at);
            Assert.True(next > at);
            Assert.Equal(0, next.Second);
            Assert.Equal(0, next.Minute % 5);
            at = next;
        }
    }
}
