using Butterfly.Server.Mail;

namespace Butterfly.Server.Delivery;

/// <summary>
/// An account owns its own address, compared by folded key (<see cref="Addresses.Key"/>), so
/// <c>Alice@Example.org</c> and <c>alice@example.org.</c> are hers.
/// </summary>
internal sealed class OwnAddressOnly : ISenderOwnership
{
    /// <inheritdoc/>
    public ValueTask<bool> MaySendAsAsync(long accountId, string accountAddress, string address, CancellationToken ct) =>
        ValueTask.FromResult(string.Equals(Addresses.Key(accountAddress), Addresses.Key(address), StringComparison.Ordinal));
}
