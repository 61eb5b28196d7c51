namespace Butterfly.Server.Delivery;

/// <summary>
/// The one question sender checks ask: may this account send as this address? Every From, Sender
/// and Return-Path address of a message a logged-in client sends is put to it
/// (protocol/client.md, "Sender identity"). The daemon answers it with <see cref="OwnedAddresses"/>:
/// the account's own address, its aliases and the lists it owns.
/// </summary>
internal interface ISenderOwnership
{
    /// <summary>Whether the account may use <paramref name="address"/> as its From, Sender or Return-Path.</summary>
    /// <param name="accountId">The logged-in account's id.</param>
    /// <param name="accountAddress">The logged-in account's address (normalized).</param>
    /// <param name="address">The address the message names, normalized (<c>Mail/Addresses.TryNormalize</c>).</param>
    /// <param name="ct">Cancels the question.</param>
    ValueTask<bool> MaySendAsAsync(long accountId, string accountAddress, string address, CancellationToken ct);
}
