using Butterfly.Cli.Commands;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Configuration;

namespace Butterfly.Cli.Users;

/// <summary>The checks an administrator's account changes go through, with the protocol's error codes.</summary>
internal static class AccountRules
{
    public const int MinimumPasswordLength = 8;

    /// <summary>Lower-cases <paramref name="address"/> after checking it is <c>local@domain</c> on a served domain.</summary>
    /// <exception cref="CliFailure"><c>account.invalid-address</c>.</exception>
    public static string CheckAddress(string address, ButterflyOptions options)
    {
        var at = address.LastIndexOf('@');
        var valid = at > 0 && at < address.Length - 1 && address.Length <= 320
            && !address.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
            && address.IndexOf('@', StringComparison.Ordinal) == at;
        if (!valid)
        {
            throw new CliFailure(ErrorCode.AccountInvalidAddress.ToWire(), $"'{address}' is not an address (local@domain).");
        }

        var domain = address[(at + 1)..];
        if (!options.IsLocalDomain(domain))
        {
            throw new CliFailure(
                ErrorCode.AccountInvalidAddress.ToWire(),
                $"'{domain}' is not a domain this server serves ({string.Join(", ", options.Domains)}).");
        }

        return address.ToLowerInvariant();
    }

    /// <exception cref="CliFailure"><c>account.weak-password</c>.</exception>
    public static void CheckPassword(string password)
    {
        if (password.Length < MinimumPasswordLength)
        {
            throw new CliFailure(ErrorCode.AccountWeakPassword.ToWire(), $"The password is too short (at least {MinimumPasswordLength} characters).");
        }
    }
}
