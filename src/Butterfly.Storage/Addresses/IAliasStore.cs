namespace Butterfly.Storage;

/// <summary>
/// Aliases (one address delivering to one or more accounts) and catch-alls (<c>@domain</c>).
/// One implementation per database; the conformance suite holds them to the same behaviour (src/Butterfly.Storage/README.md, "Contracts").
/// </summary>
public interface IAliasStore
{
    /// <summary>Adds an alias, or more accounts to an existing one.</summary>
    /// <param name="address">The alias (<c>local@domain</c>, or <c>@domain</c> for a catch-all).</param>
    /// <param name="accounts">The addresses of the accounts it delivers to (at least one).</param>
    /// <param name="ct">Cancels before the write starts.</param>
    /// <returns>The alias with all its accounts; or <see cref="StoreError.AccountInvalidAddress"/>,
    /// <see cref="StoreError.AccountNotFound"/> (a target), <see cref="StoreError.AddressTaken"/> (an account or list has the address).</returns>
    Task<StoreResult<Alias>> AddAsync(string address, IReadOnlyList<string> accounts, CancellationToken ct = default);

    /// <summary>Deletes an alias.</summary>
    /// <returns>The alias as it was; or <see cref="StoreError.AliasNotFound"/>.</returns>
    Task<StoreResult<Alias>> DeleteAsync(string address, CancellationToken ct = default);

    /// <summary>Every alias with its accounts, ordered by address.</summary>
    Task<IReadOnlyList<Alias>> ListAsync(CancellationToken ct = default);

    /// <summary>The accounts an alias (or a catch-all, <c>@domain</c>) delivers to; empty when there is no such alias.</summary>
    /// <param name="address">The address, any case.</param>
    /// <param name="ct">Cancels the wait for a read connection.</param>
    Task<IReadOnlyList<Account>> ResolveAsync(string address, CancellationToken ct = default);

    /// <summary>The aliases (catch-alls included) that deliver to an account, ordered by address.</summary>
    Task<IReadOnlyList<string>> OfAccountAsync(long accountId, CancellationToken ct = default);
}
