namespace Butterfly.Mime.Internal;

/// <summary>
/// Parses RFC 5322 dates leniently: optional day name, obsolete zone names (UT, GMT, EST...,
/// military letters), two- and three-digit years, missing seconds, comments, the asctime order
/// ("Mon Jan  1 08:01:00 2024") and full month names.
/// </summary>
internal static class DateParser
{
    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    public static DateTimeOffset? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        int day = -1, month = -1, year = -1, hour = -1, minute = -1, second = 0;
        int? offsetMinutes = null;
        var s = text.AsSpan();
        int i = 0;
        while (i < s.Length)
        {
            char c = s[i];
            if (c == '(')
            {
                i = SkipComment(s, i);
                continue;
            }

            if ((c == '+' || c == '-') && i + 1 < s.Length && char.IsAsciiDigit(s[i + 1]) && hour >= 0)
            {
                int j = i + 1;
                int v = 0;
                while (j < s.Length && char.IsAsciiDigit(s[j]) && j - i <= 4)
                {
                    v = (v * 10) + (s[j] - '0');
                    j++;
                }

                int digits = j - i - 1;
                if (digits <= 2)
                {
                    v *= 100;
                }

                int minutes = ((v / 100) * 60) + (v % 100);
                offsetMinutes ??= c == '-' ? -minutes : minutes;
                i = j;
                continue;
            }

            if (char.IsAsciiDigit(c))
            {
                int j = i;
                long v = 0;
                while (j < s.Length && char.IsAsciiDigit(s[j]) && j - i < 9)
                {
                    v = (v * 10) + (s[j] - '0');
                    j++;
                }

                while (j < s.Length && char.IsAsciiDigit(s[j]))
                {
                    j++;
                }

                if (j < s.Length && s[j] == ':' && hour < 0)
                {
                    // A time: hh:mm[:ss]
                    hour = (int)Math.Min(v, 99);
                    j++;
                    minute = ReadNumber(s, ref j);
                    if (j < s.Length && s[j] == ':')
                    {
                        j++;
                        second = Math.Max(0, ReadNumber(s, ref j));
                    }

                    // Fractional seconds appear in some generators.
                    if (j < s.Length && s[j] == '.')
                    {
                        j++;
                        ReadNumber(s, ref j);
                    }

                    i = j;
                    continue;
                }

                int digits = j - i;
                if (day < 0 && digits <= 2)
                {
                    day = (int)v;
                }
                else if (year < 0)
                {
                    year = (int)Math.Min(v, 9999);
                    if (digits <= 2)
                    {
                        year += year < 50 ? 2000 : 1900;
                    }
                    else if (digits == 3)
                    {
                        year += 1900;
                    }
                }

                i = j;
                continue;
            }

            if (char.IsAsciiLetter(c))
            {
                int j = i;
                while (j < s.Length && char.IsAsciiLetter(s[j]))
                {
                    j++;
                }

                var word = s[i..j];
                int m = MonthIndex(word);
                if (m >= 0 && month < 0)
                {
                    month = m + 1;
                }
                else if (hour >= 0 && offsetMinutes is null && TryZone(word, out var z))
                {
                    offsetMinutes = z;
                }

                i = j;
                continue;
            }

            i++;
        }

        // Years at the ends of the calendar cannot take an offset (DateTimeOffset would throw).
        if (day < 1 || month < 1 || year < 2 || year > 9998 || hour < 0 || minute < 0)
        {
            return null;
        }

        if (hour > 23 || minute > 59 || second > 60 || day > DateTime.DaysInMonth(Math.Clamp(year, 1, 9999), month))
        {
            return null;
        }

        int off = offsetMinutes ?? 0;
        if (off is < -14 * 60 or > 14 * 60)
        {
            off = 0;
        }

        var dt = new DateTime(year, month, day, hour, minute, Math.Min(second, 59), DateTimeKind.Unspecified);
        return new DateTimeOffset(dt, TimeSpan.FromMinutes(off));
    }

    private static int ReadNumber(ReadOnlySpan<char> s, ref int j)
    {
        int v = 0;
        int start = j;
        while (j < s.Length && char.IsAsciiDigit(s[j]) && j - start < 6)
        {
            v = (v * 10) + (s[j] - '0');
            j++;
        }

        return j == start ? -1 : v;
    }

    private static int SkipComment(ReadOnlySpan<char> s, int i)
    {
        int depth = 0;
        for (; i < s.Length; i++)
        {
            if (s[i] == '\\')
            {
                i++;
            }
            else if (s[i] == '(')
            {
                depth++;
            }
            else if (s[i] == ')' && --depth == 0)
            {
                return i + 1;
            }
        }

        return s.Length;
    }

    private static int MonthIndex(ReadOnlySpan<char> word)
    {
        if (word.Length < 3)
        {
            return -1;
        }

        for (int m = 0; m < Months.Length; m++)
        {
            if (word[..3].Equals(Months[m], StringComparison.OrdinalIgnoreCase))
            {
                return m;
            }
        }

        return -1;
    }

    private static bool TryZone(ReadOnlySpan<char> word, out int minutes)
    {
        minutes = 0;
        Span<char> lower = stackalloc char[Math.Min(word.Length, 8)];
        if (word.Length > 8)
        {
            return false;
        }

        word.ToLowerInvariant(lower);
        switch (lower)
        {
            case "ut" or "gmt" or "utc" or "z":
                return true;
            case "edt":
                minutes = -4 * 60;
                return true;
            case "est" or "cdt":
                minutes = -5 * 60;
                return true;
            case "cst" or "mdt":
                minutes = -6 * 60;
                return true;
            case "mst" or "pdt":
                minutes = -7 * 60;
                return true;
            case "pst":
                minutes = -8 * 60;
                return true;
        }

        // RFC 5322 4.3: military zones other than Z are to be taken as -0000 (unknown), i.e. UTC.
        return lower.Length == 1 && lower[0] != 'j';
    }
}
