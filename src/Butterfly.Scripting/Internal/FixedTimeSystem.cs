using System.Globalization;
using Jint.Runtime;

namespace Butterfly.Scripting.Internal;

/// <summary>Jint's clock for one run: always the run's recorded <c>Now</c>, and UTC as local time, so dates are reproducible.</summary>
internal sealed class FixedTimeSystem(DateTimeOffset now) : ITimeSystem
{
    private static readonly DefaultTimeSystem Parser = new(TimeZoneInfo.Utc, CultureInfo.InvariantCulture);

    public TimeZoneInfo DefaultTimeZone => TimeZoneInfo.Utc;

    public DateTimeOffset GetUtcNow() => now.ToUniversalTime();

    public bool TryParse(string date, out long epochMilliseconds) => Parser.TryParse(date, out epochMilliseconds);

    public TimeSpan GetUtcOffset(long epochMilliseconds) => TimeSpan.Zero;
}
