using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text.Json;
using Butterfly.Server.Configuration;
using Butterfly.Server.Mail;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Federation;

/// <summary>
/// Delivers to peer servers (protocol/peer.md, "Delivering"): one authenticated connection per
/// (local domain, peer domain), reused and pipelined, reopened after a failure.
/// </summary>
internal sealed class PeerTransport : IPeerTransport, IAsyncDisposable
{
    // Refusals of the whole request that a retry cannot change (peer.md, "Retry or give up").
    private static readonly FrozenSet<string> _permanentCodes = new[]
    {
        "peer.sender-mismatch", "peer.domain-unknown", "message.too-large", "message.invalid", "message.empty",
        "message.loop", "recipient.too-many", "recipient.none", "request.invalid", "request.head-too-large",
    }.ToFrozenSet(StringComparer.Ordinal);

    private readonly ButterflyOptions _options;
    private readonly PeerConnector _connector;
    private readonly DialbackKeys _keys;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<(string From, string To), PeerLink> _links = new();

    public PeerTransport(ButterflyOptions options, PeerConnector connector, DialbackKeys keys, ILogger logger)
    {
        _options = options;
        _connector = connector;
        _keys = keys;
        _logger = logger;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<RecipientResult>> DeliverAsync(
        string domain,
        string deliveryId,
        string sender,
        IReadOnlyList<string> recipients,
        int hops,
        ReadOnlyMemory<byte> message,
        CancellationToken ct)
    {
        domain = domain.ToLowerInvariant();
        if (_options.IsLocalDomain(domain))
        {
            throw new PeerException(true, "recipient.relay-denied", $"{domain} is served here; it is not a peer.");
        }

        // peer.md, "Delivering": the connection is authenticated as the sender's domain, which the
        // receiver checks against the envelope. The null sender (bounces) goes as the first domain.
        var from = Addresses.TryNormalize(sender, out _, out var senderDomain) ? senderDomain : _options.Domains[0];
        if (!_options.IsLocalDomain(from))
        {
            throw new PeerException(true, "peer.sender-mismatch", $"The sender {sender} is not on a domain served here.");
        }

        var link = _links.GetOrAdd((from, domain), k => new PeerLink(k.From, k.To, _connector, _keys, _logger));
        var head = JsonSerializer.SerializeToUtf8Bytes(new { cmd = "peer.deliver", id = deliveryId, from = sender, rcpt = recipients, hops });
        for (var attempt = 0; ; attempt++)
        {
            var (connection, reused) = await link.GetAsync(ct);
            PeerReply reply;
            try
            {
                reply = await connection.RequestAsync(head, message, _connector.RequestTimeout, ct);
            }
            catch (IOException ex) when (reused && attempt == 0)
            {
                // The kept connection died while idle (the peer restarted, or closed it): the id makes
                // a second try safe, so try once more on a fresh connection.
                _logger.LogDebug("Peer link {From} -> {To} was closed ({Problem}); reconnecting", from, domain, ex.Message);
                await link.DropAsync(connection);
                continue;
            }
            catch (Exception ex) when (ex is IOException or TimeoutException)
            {
                await link.DropAsync(connection);
                throw new PeerException(false, ex is TimeoutException ? "peer.timeout" : "peer.unreachable", $"Delivery {deliveryId} to {domain} failed: {ex.Message}", ex);
            }

            if (!reply.Ok)
            {
                if (reply.Code == "peer.not-authenticated")
                {
                    // The receiver forgot this session's proof (for example after logout): start over next time.
                    await link.DropAsync(connection);
                }

                throw new PeerException(_permanentCodes.Contains(reply.Code), reply.Code, $"{domain} refused delivery {deliveryId}: {reply.Message}");
            }

            return ReadResults(reply, recipients);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        foreach (var link in _links.Values)
        {
            await link.DisposeAsync();
        }

        _links.Clear();
    }

    private static IReadOnlyList<RecipientResult> ReadResults(PeerReply reply, IReadOnlyList<string> recipients)
    {
        // peer.md, "Results": one entry per recipient; one the peer left out counts as a temporary failure.
        var byRecipient = new Dictionary<string, RecipientResult>(StringComparer.OrdinalIgnoreCase);
        if (reply.Head.TryGetProperty("results"u8, out var results) && results.ValueKind == JsonValueKind.Array)
        {
            foreach (var entry in results.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.Object
                    || !entry.TryGetProperty("rcpt"u8, out var rcpt) || rcpt.ValueKind != JsonValueKind.String
                    || !entry.TryGetProperty("status"u8, out var status) || status.ValueKind != JsonValueKind.String)
                {
                    continue;
                }

                byRecipient[rcpt.GetString()!] = new RecipientResult(
                    rcpt.GetString()!,
                    status.GetString()!,
                    entry.TryGetProperty("code"u8, out var code) && code.ValueKind == JsonValueKind.String ? code.GetString() : null,
                    entry.TryGetProperty("message"u8, out var text) && text.ValueKind == JsonValueKind.String ? text.GetString() : null);
            }
        }

        return recipients
            .Select(r => byRecipient.TryGetValue(r, out var result)
                ? result
                : new RecipientResult(r, RecipientStatus.TempFail, "peer.incomplete-reply", "The peer's reply named no result for this recipient."))
            .ToArray();
    }
}
