using Butterfly.Server.Mail;

namespace Butterfly.Server.Federation;

/// <summary>Carries one message to the server of a remote domain (protocol/peer.md, "Delivering").</summary>
internal interface IPeerTransport
{
    /// <summary>
    /// Delivers <paramref name="message"/> to <paramref name="recipients"/>, all on <paramref name="domain"/>,
    /// over an authenticated connection (discovery, TLS and dialback happen inside). The same
    /// <paramref name="deliveryId"/> sent twice is stored once by the receiver.
    /// </summary>
    /// <returns>One result per recipient.</returns>
    /// <exception cref="PeerException">The delivery as a whole failed; <see cref="PeerException.Permanent"/> says whether to retry.</exception>
    Task<IReadOnlyList<RecipientResult>> DeliverAsync(
        string domain,
        string deliveryId,
        string sender,
        IReadOnlyList<string> recipients,
        int hops,
        ReadOnlyMemory<byte> message,
        CancellationToken ct);
}
