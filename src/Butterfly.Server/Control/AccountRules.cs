using System.Diagnostics.CodeAnalysis;
using Butterfly.Storage;

namespace Butterfly.Server.Control;

/// <summary>
/// The checks an operator's account changes go through. The daemon applies them to
/// <c>user.add</c> and <c>user.passwd</c>; the CLI applies the address check before it prompts
/// for a password, with the domains the hello reply names.
/// </summary>
public static class AccountRules
{
    /// <summary>The shortest password accepted.</summary>
    public const int MinimumPasswordLength = 8;

    /// <summary>
    /// Checks that <paramref name="address"/> is <c>local@domain</c> on one of <paramref name="domains"/>
    /// (compared as lower-case A-labels, a trailing dot ignored), with a local part that passes the
    /// name rules: no invisible or reordering characters, one script.
    /// </summary>
    /// <param name="address">The address as typed.</param>
    /// <param name="domains">The served domains.</param>
    /// <param name="normalized">The address (local part in NFC and lower case, domain an A-label), when it passes.</param>
    /// <param name="problem">What is wrong, for <c>account.invalid-address</c>, when it does not.</param>
    public static bool TryCheckAddress(string address, IReadOnlyList<string> domains, [NotNullWhen(true)] out string? normalized, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(domains);
        normalized = null;
        var at = address.LastIndexOf('@');
        var valid = at > 0 && at < address.Length - 1 && address.Length <= 320
            && !address.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
            && address.IndexOf('@', StringComparison.Ordinal) == at;
        if (!valid)
        {
            problem = $"'{address}' is not an address (local@domain).";
            return false;
        }

        var domain = address[(at + 1)..];
        if (!NameRules.TryNormalizeDomain(domain, out var ascii)
            || !domains.Any(d => NameRules.TryNormalizeDomain(d, out var served) && served == ascii))
        {
            problem = $"'{domain}' is not a domain this server serves ({string.Join(", ", domains)}).";
            return false;
        }

        // Names people read: NFC, nothing invisible, one script (Butterfly.Storage NameRules).
        if (!NameRules.TryNormalize(address[..at], "An address", allowSpace: false, out var local, out problem))
        {
            return false;
        }

        if (NameRules.MixedScriptProblem(local) is { } mixed)
        {
            problem = mixed;
            return false;
        }

        normalized = local.ToLowerInvariant() + "@" + ascii;
        problem = null;
        return true;
    }

    /// <summary>What is wrong with <paramref name="password"/>, for <c>account.weak-password</c>; null when nothing is.</summary>
    /// <param name="password">The new password.</param>
    public static string? PasswordProblem(string password) =>
        password.Length < MinimumPasswordLength
            ? $"The password is too short (at least {MinimumPasswordLength} characters)."
            : null;
}
