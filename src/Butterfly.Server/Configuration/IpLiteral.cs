using System.Net.Sockets;
using System.Net;

namespace Butterfly.Server.Configuration;

/// <summary>
/// Strict IP literals. <see cref="IPAddress.TryParse(string?, out IPAddress?)"/> alone takes "1" or "1.2.3" as
/// IPv4 addresses, which a host name like "10" must not become.
/// </summary>
internal static class IpLiteral
{
    public static bool TryParse(ReadOnlySpan<char> text, out IPAddress address)
    {
        address = IPAddress.None;
        if (text.Length >= 2 && text[0] == '[' && text[^1] == ']')
        {
            text = text[1..^1];
        }

        if (text.IsEmpty)
        {
            return false;
        }

        if (text.Contains(':'))
        {
            if (IPAddress.TryParse(text, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6)
            {
                address = v6;
                return true;
            }

            return false;
        }

        // Dotted quad only: four decimal parts of one to three digits.
        var parts = 0;
        var digits = 0;
        foreach (var c in text)
        {
            if (c == '.')
            {
                if (digits == 0)
                {
                    return false;
                }

                parts++;
                digits = 0;
            }
            else if (char.IsAsciiDigit(c) && digits < 3)
            {
                digits++;
            }
            else
            {
                return false;
            }
        }

        if (parts != 3 || digits == 0 || !IPAddress.TryParse(text, out var v4))
        {
            return false;
        }

        address = v4;
        return true;
    }
}
