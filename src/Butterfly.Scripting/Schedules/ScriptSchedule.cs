using System.Globalization;

namespace Butterfly.Scripting;

/// <summary>When <c>onSchedule</c> runs, as the script declares it (<c>export const schedule = ...</c>).</summary>
/// <remarks>
/// Two forms: <c>{ everyMinutes: 15 }</c> (on the quarter hours: ticks are aligned to the Unix epoch,
/// so a restart does not shift them) and <c>{ daily: "09:00", timeZone: "Europe/Berlin" }</c>
/// (the time zone defaults to UTC).
/// </remarks>
public sealed class ScriptSchedule
{
    /// <summary>The largest <c>everyMinutes</c>: one week.</summary>
    public const int MaxEveryMinutes = 7 * 24 * 60;

    private ScriptSchedule(int? everyMinutes, TimeOnly? dailyAt, TimeZoneInfo timeZone)
    {
        EveryMinutes = everyMinutes;
        DailyAt = dailyAt;
        TimeZone = timeZone;
    }

    /// <summary>The interval in minutes, or null for a daily schedule.</summary>
    public int? EveryMinutes { get; }

    /// <summary>The local time of day, or null for an interval schedule.</summary>
    public TimeOnly? DailyAt { get; }

    /// <summary>The zone <see cref="DailyAt"/> is read in (UTC for interval schedules).</summary>
    public TimeZoneInfo TimeZone { get; }

    /// <summary>A schedule that fires every <paramref name="minutes"/> minutes (1 to <see cref="MaxEveryMinutes"/>).</summary>
    public static ScriptSchedule Every(int minutes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minutes, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minutes, MaxEveryMinutes);
        return new ScriptSchedule(minutes, null, TimeZoneInfo.Utc);
    }

    /// <summary>A schedule that fires once a day at <paramref name="at"/>, local time in <paramref name="timeZone"/>.</summary>
    public static ScriptSchedule Daily(TimeOnly at, TimeZoneInfo timeZone) => new(null, at, timeZone);

    /// <summary>Reads <c>"HH:MM"</c> and an IANA (or Windows) time zone id; an error message instead when either is wrong.</summary>
    public static ScriptSchedule? TryDaily(string at, string? timeZoneId, out string? error)
    {
        if (!TimeOnly.TryParseExact(at, ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            error = $"schedule.daily must be a time of day \"HH:MM\" (24-hour), not \"{at}\"";
            return null;
        }

        var zone = TimeZoneInfo.Utc;
        if (timeZoneId is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(timeZoneId, out zone))
        {
            error = $"schedule.timeZone \"{timeZoneId}\" is not a known time zone (use an IANA name such as \"Europe/Berlin\")";
            return null;
        }

        error = null;
        return Daily(time, zone!);
    }

    /// <summary>The first time the schedule fires strictly after <paramref name="instant"/>.</summary>
    /// <remarks>
    /// A daily time that a daylight-saving change skips (02:30 on the spring-forward night) fires at the
    /// same distance after the gap (03:30); one that happens twice (autumn) fires the first time.
    /// </remarks>
    public DateTimeOffset NextAfter(DateTimeOffset instant)
    {
        if (EveryMinutes is int minutes)
        {
            var period = TimeSpan.FromMinutes(minutes).Ticks;
            var sinceEpoch = instant.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
            var next = (Math.DivRem(sinceEpoch, period, out var rem) + (rem < 0 ? 0 : 1)) * period;
            return new DateTimeOffset(DateTimeOffset.UnixEpoch.UtcTicks + next, TimeSpan.Zero);
        }

        var at = DailyAt!.Value;
        var localDate = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, TimeZone).DateTime);
        // Yesterday's slot can still be ahead of instant when a zone is far from UTC; three days covers any offset.
        for (var day = localDate.AddDays(-1); ; day = day.AddDays(1))
        {
            var candidate = ToInstant(day.ToDateTime(at));
            if (candidate > instant)
            {
                return candidate;
            }
        }
    }

    private DateTimeOffset ToInstant(DateTime local)
    {
        TimeSpan offset;
        if (TimeZone.IsInvalidTime(local))
        {
            // Skipped by a spring-forward change: read it with the offset in force before the gap.
            offset = TimeZone.GetUtcOffset(local.AddHours(-12));
        }
        else if (TimeZone.IsAmbiguousTime(local))
        {
            // Happens twice: the earlier one is the one with the larger offset.
            offset = TimeZone.GetAmbiguousTimeOffsets(local).Max();
        }
        else
        {
            offset = TimeZone.GetUtcOffset(local);
        }

        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    /// <summary>The schedule as the script would declare it: <c>every 15 minutes</c>, <c>daily at 09:00 Europe/Berlin</c>.</summary>
    public override string ToString() => EveryMinutes is int minutes
        ? $"every {minutes} minutes"
        : $"daily at {DailyAt!.Value:HH\\:mm} {TimeZone.Id}";
}
