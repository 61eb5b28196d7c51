namespace Butterfly.Storage;

/// <summary>An address that delivers to one or more accounts; <c>@domain</c> is the domain's catch-all.</summary>
/// <param name="Address">The alias, lower-case.</param>
/// <param name="Accounts">The addresses of the accounts it delivers to, in order.</param>
public sealed record Alias(string Address, IReadOnlyList<string> Accounts)
{
    /// <summary>Whether this is a domain's catch-all (<c>@domain</c>).</summary>
    public bool IsCatchAll => Address.StartsWith('@');
}
