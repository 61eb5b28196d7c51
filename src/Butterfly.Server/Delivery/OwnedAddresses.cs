using Butterfly.Server.Mail;
using Butterfly.Storage;

namespace Butterfly.Server.Delivery;

/// <summary>
/// An account may send as its own address, the aliases that deliver to it alone and the lists it owns
/// (<see cref="IAccountStore.SendAsAsync"/>), compared by folded key (<see cref="Addresses.Key"/>), so
/// <c>Alice@Example.org</c> and <c>alice@example.org.</c> are hers. Its own address is answered without
/// reading the store: that is nearly every message.
/// </summary>
internal sealed class OwnedAddresses(IMailStore store) : ISenderOwnership
{
    /// <inheritdoc/>
    public async ValueTask<bool> MaySendAsAsync(long accountId, string accountAddress, string address, CancellationToken ct)
    {
        var key = Addresses.Key(address);
        if (string.Equals(Addresses.Key(accountAddress), key, StringComparison.Ordinal))
        {
            return true;
        }

        foreach (var owned in await store.Accounts.SendAsAsync(accountId, ct))
        {
            if (string.Equals(Addresses.Key(owned), key, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
