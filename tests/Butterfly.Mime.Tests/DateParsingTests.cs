namespace Butterfly.Mime.Tests;

public class DateParsingTests
{
    [Theory]
    [InlineData("Mon, 1 Jan 2024 08:01:00 +0000", "2024-01-01T08:01:00+00:00")]
    [InlineData("1 Jan 2024 08:01:00 +0130", "2024-01-01T08:01:00+01:30")]
    [InlineData("Tue, 15 Nov 1994 08:12:31 -0800", "1994-11-15T08:12:31-08:00")]
    [InlineData("Tue, 15 Nov 94 08:12:31 PST", "1994-11-15T08:12:31-08:00")]
    [InlineData("15 Nov 04 08:12 EDT", "2004-11-15T08:12:00-04:00")]
    [InlineData("Fri, 21 Nov 1997 09:55:06 GMT", "1997-11-21T09:55:06+00:00")]
    [InlineData("Fri, 21 Nov 97 09:55:06 UT", "1997-11-21T09:55:06+00:00")]
    [InlineData("21 Nov 097 09:55:06 CST", "1997-11-21T09:55:06-06:00")]
    [InlineData("Thu, 13 Feb 1969 23:32 -0330 (Newfoundland Time)", "1969-02-13T23:32:00-03:30")]
    [InlineData("Thu,\r\n 13\r\n  Feb\r\n    1969\r\n 23:32\r\n   -0330", "1969-02-13T23:32:00-03:30")]
    [InlineData("Mon, 1 January 2024 08:01:00 Z", "2024-01-01T08:01:00+00:00")]
    [InlineData("Mon, 1 Jan 2024 08:01:00 A", "2024-01-01T08:01:00+00:00")]
    [InlineData("Mon Jan  1 08:01:00 2024", "2024-01-01T08:01:00+00:00")]
    [InlineData("mon, 01 jan 2024 8:1:0 +0000", "2024-01-01T08:01:00+00:00")]
    [InlineData("Mon, 1 Jan 2024 08:01:00.123 +0200", "2024-01-01T08:01:00+02:00")]
    public void Date_Parses(string header, string expected)
    {
        var m = Msg.Parse("Date: " + header + "\r\n\r\n");
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), m.Date);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture).Offset, m.Date!.Value.Offset);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("31 Feb 2024 10:00:00 +0000")]
    [InlineData("1 Jan 2024")]
    [InlineData("1 Foo 2024 10:00:00 +0000")]
    [InlineData("1 Jan 2024 25:00:00 +0000")]
    [InlineData("99999999999999999999 Jan 99999999999 10:00 +9999999")]
    [InlineData("1 Jan 0001 00:00:00 +0100")]
    [InlineData("31 Dec 9999 23:59:59 -0100")]
    public void Date_Malformed_IsNull(string header)
    {
        Assert.Null(Msg.Parse("Date: " + header + "\r\n\r\n").Date);
    }
}
