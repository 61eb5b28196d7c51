namespace Butterfly.Server.Mail;

/// <summary>The address rules for accounts and envelope recipients.</summary>
internal static class Addresses
{
    /// <summary>
    /// Normalizes <c>local@domain</c> (trimmed, an optional pair of angle brackets removed, lower-cased)
    /// and checks it is a plain addr-spec: no spaces or specials, a domain name after the one <c>@</c>.
    /// </summary>
    /// <param name="text">The address as given.</param>
    /// <param name="address">The normalized address.</param>
    /// <param name="domain">Its domain.</param>
    public static bool TryNormalize(string? text, out string address, out string domain)
    {
        address = string.Empty;
        domain = string.Empty;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var candidate = text.Trim();
        if (candidate.StartsWith('<') && candidate.EndsWith('>'))
        {
            candidate = candidate[1..^1];
        }

        var at = candidate.LastIndexOf('@');
        if (at <= 0 || at == candidate.Length - 1 || candidate.Length > 254 || at > 64)
        {
            return false;
        }

        var local = candidate.AsSpan(0, at);
        foreach (var c in local)
        {
            if (c <= ' ' || c == 0x7F || "()<>[]:;@\\,\"".Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        if (local[0] == '.' || local[^1] == '.' || local.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        var host = candidate[(at + 1)..];
        if (Uri.CheckHostName(host) != UriHostNameType.Dns)
        {
            return false;
        }

        address = candidate.ToLowerInvariant();
        domain = host.ToLowerInvariant();
        return true;
    }
}
