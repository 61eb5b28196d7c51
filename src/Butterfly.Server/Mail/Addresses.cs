using Butterfly.Storage;

namespace Butterfly.Server.Mail;

/// <summary>The address rules for accounts and envelope recipients.</summary>
internal static class Addresses
{
    /// <summary>
    /// Normalizes <c>local@domain</c> (trimmed, an optional pair of angle brackets removed) and checks
    /// it is a plain addr-spec: no spaces or specials, no control or invisible characters
    /// (<see cref="NameRules"/>), a domain name after the one <c>@</c>. The local part comes back in
    /// NFC and lower case, the domain as a lower-case A-label without a trailing dot, so
    /// <c>bob@TEST.example.</c> is <c>bob@test.example</c>.
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

        if (!NameRules.TryNormalize(candidate[..at], "An address", allowSpace: false, out var normalizedLocal, out _)
            || !NameRules.TryNormalizeDomain(candidate[(at + 1)..], out var host)
            || Uri.CheckHostName(host) != UriHostNameType.Dns)
        {
            return false;
        }

        address = normalizedLocal.ToLowerInvariant() + "@" + host;
        domain = host;
        return true;
    }

    /// <summary>
    /// The key two addresses are the same address by (<see cref="NameRules.AddressKey"/>): the local
    /// part NFKC case-folded, the domain's A-label. <c>ａlice@x</c> and <c>alice@x</c> share it.
    /// </summary>
    /// <param name="address">An address normalized by <see cref="TryNormalize"/>.</param>
    public static string Key(string address) => NameRules.AddressKey(address) ?? address;
}
