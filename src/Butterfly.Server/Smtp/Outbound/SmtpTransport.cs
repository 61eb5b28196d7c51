using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Butterfly.Server.Configuration;
using Butterfly.Server.Dkim;
using Butterfly.Server.Dns;
using Butterfly.Server.Federation;
using Butterfly.Server.Mail;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Smtp.Outbound;

/// <summary>
/// Hands queued messages to SMTP servers with MailKit: connections kept per destination domain (at most
/// <c>smtp.connectionsPerDomain</c>, reused while idle for <c>smtp.idleSeconds</c>), STARTTLS whenever offered
/// (required, with the certificate checked, for <c>smtp.requireTls</c> domains and the smarthost), PIPELINING when
/// offered, 8BITMIME and SMTPUTF8 used or downgraded, every message DKIM-signed for the sender's domain.
/// </summary>
/// <remarks>
/// A connection lost after the message's final dot and before the server's reply is retried like any lost
/// connection, so the recipient may get the message twice (RFC 5321 §6.1 allows no better); such events are counted
/// in <see cref="RepliesLost"/> and logged.
/// </remarks>
internal sealed class SmtpTransport : IAsyncDisposable
{
    private readonly ButterflyOptions _options;
    private readonly DkimKeyStore _keys;
    private readonly IDnsResolver? _dns;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _slots = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, ConcurrentStack<OutboundSmtpClient>> _idle = new(StringComparer.OrdinalIgnoreCase);
    private readonly Timer _sweep;
    private long _repliesLost;
    private long _connections;
    private long _messages;

    public SmtpTransport(ButterflyOptions options, DkimKeyStore keys, IDnsResolver? dns, ILogger logger)
    {
        _options = options;
        _keys = keys;
        _dns = dns;
        _logger = logger;
        var every = TimeSpan.FromSeconds(Math.Max(1, options.Smtp.IdleSeconds));
        _sweep = new Timer(_ => CloseIdle(expiredOnly: true), null, every, every);
    }

    /// <summary>Connections lost between the final dot and the reply: messages that may arrive twice.</summary>
    public long RepliesLost => Interlocked.Read(ref _repliesLost);

    /// <summary>SMTP connections opened so far.</summary>
    public long Connections => Interlocked.Read(ref _connections);

    /// <summary>Messages a server took so far (for at least one recipient).</summary>
    public long Messages => Interlocked.Read(ref _messages);

    /// <summary>Delivers <paramref name="message"/> to <paramref name="recipients"/> of <paramref name="domain"/> through the first of <paramref name="destinations"/> that answers.</summary>
    /// <returns>One result per recipient.</returns>
    /// <exception cref="PeerException">The delivery failed as a whole; <see cref="PeerException.Permanent"/> says whether to retry.</exception>
    public async Task<IReadOnlyList<RecipientResult>> DeliverAsync(
        string domain,
        IReadOnlyList<SmtpDestination> destinations,
        string sender,
        IReadOnlyList<string> recipients,
        ReadOnlyMemory<byte> message,
        CancellationToken ct)
    {
        var slots = _slots.GetOrAdd(domain, _ => new SemaphoreSlim(_options.Smtp.ConnectionsPerDomain));
        await slots.WaitAsync(ct);
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                var (client, reused) = await AcquireAsync(domain, destinations, ct);
                var progress = new DataProgress();
                client.StartMessage();
                try
                {
                    var mime = MimeMessage.Load(new MemoryStream(message.ToArray(), writable: false));
                    var format = OutgoingMessage.Prepare(
                        mime,
                        client.Capabilities.HasFlag(SmtpCapabilities.EightBitMime),
                        client.Capabilities.HasFlag(SmtpCapabilities.UTF8),
                        SigningKeys(mime, sender));
                    var envelope = recipients.Select(r => new MailboxAddress(string.Empty, r)).ToArray();
                    await client.SendAsync(format, mime, new MailboxAddress(string.Empty, sender), envelope, ct, progress);
                    Interlocked.Increment(ref _messages);
                    client.Sent++;
                    Release(domain, client);
                    return Results(client, recipients);
                }
                catch (SmtpCommandException ex) when (ex.ErrorCode == SmtpErrorCode.RecipientNotAccepted && client.Accepted == 0 && client.Refused.Count > 0)
                {
                    // Every recipient refused at RCPT: the session is still in step (MailKit reset it).
                    Release(domain, client);
                    return Results(client, recipients);
                }
                catch (SmtpCommandException ex)
                {
                    await CloseAsync(client);
                    var refusal = SmtpReplies.Refusal(recipients[0], client.RemoteHost, ex);
                    throw new PeerException(refusal.IsPermanentFailure, refusal.Code!, refusal.Message!, ex);
                }
                catch (Exception ex) when (IsConnectionFailure(ex, ct))
                {
                    await CloseAsync(client);
                    if (progress.AllWritten)
                    {
                        // After the final dot: the server may have taken it. Retried all the same (a lost message
                        // is worse than a duplicate); counted so the operator can see how often.
                        Interlocked.Increment(ref _repliesLost);
                        _logger.LogWarning("SMTP to {Host} for {Domain}: the connection was lost after the message was sent and before the reply ({Problem}); it will be sent again and may arrive twice", client.RemoteHost, domain, ex.Message);
                        throw new PeerException(false, "smtp.reply-lost", $"{client.RemoteHost}: the connection was lost after the message was sent, before the reply ({ex.Message}); it is sent again and may arrive twice.", ex);
                    }

                    if (reused && attempt == 0 && client.Accepted == 0)
                    {
                        // A kept connection the server had closed: nothing was taken, so try once on a fresh one.
                        _logger.LogDebug("SMTP connection to {Host} was closed while idle ({Problem}); reconnecting", client.RemoteHost, ex.Message);
                        continue;
                    }

                    throw new PeerException(false, "smtp.unreachable", $"{client.RemoteHost}: the connection failed during the delivery ({ex.Message}).", ex);
                }
            }
        }
        finally
        {
            slots.Release();
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _sweep.Dispose();
        CloseIdle(expiredOnly: false);
        foreach (var slot in _slots.Values)
        {
            slot.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private static IReadOnlyList<RecipientResult> Results(OutboundSmtpClient client, IReadOnlyList<string> recipients)
    {
        var refused = client.Refused.ToDictionary(r => r.Address, r => r.Reply, StringComparer.OrdinalIgnoreCase);
        return [.. recipients.Select(r => refused.TryGetValue(r, out var reply)
            ? SmtpReplies.Refusal(r, client.RemoteHost, (int)reply.StatusCode, reply.Response)
            : new RecipientResult(r, RecipientStatus.Delivered, null, null))];
    }

    private static bool IsConnectionFailure(Exception ex, CancellationToken ct) =>
        ex is IOException or SocketException or SmtpProtocolException or ServiceNotConnectedException or TimeoutException
        || (ex is OperationCanceledException && !ct.IsCancellationRequested);

    private IReadOnlyList<DkimKey> SigningKeys(MimeMessage message, string sender)
    {
        // The From domain, for DMARC alignment (RFC 7489 §3.1); else the envelope sender's; bounces sign as the first domain.
        var domain = message.From.Mailboxes.FirstOrDefault()?.Domain is { Length: > 0 } from && _options.IsLocalDomain(from) ? from.ToLowerInvariant()
            : Addresses.TryNormalize(sender, out _, out var senderDomain) && _options.IsLocalDomain(senderDomain) ? senderDomain
            : _options.Domains[0];
        var keys = _keys.GetOrCreate(domain, out var created);
        if (created)
        {
            _logger.LogWarning(
                "Made DKIM keys for {Domain}; publish them or receivers cannot check the signatures (butterfly dkim show {Domain}): {Records}",
                domain,
                domain,
                string.Join(" | ", keys.Select(k => $"{k.RecordName} TXT \"{k.RecordValue}\"")));
        }

        return keys;
    }

    private async Task<(OutboundSmtpClient Client, bool Reused)> AcquireAsync(string domain, IReadOnlyList<SmtpDestination> destinations, CancellationToken ct)
    {
        if (_idle.TryGetValue(domain, out var idle))
        {
            var limit = (long)(_options.Smtp.IdleSeconds * 1000);
            while (idle.TryPop(out var kept))
            {
                if (kept.IsConnected && Environment.TickCount64 - kept.LastUsed <= limit && destinations.Any(d => d.Host == kept.RemoteHost))
                {
                    return (kept, true);
                }

                await CloseAsync(kept);
            }
        }

        return (await ConnectAsync(domain, destinations, ct), false);
    }

    private void Release(string domain, OutboundSmtpClient client)
    {
        client.LastUsed = Environment.TickCount64;
        _idle.GetOrAdd(domain, _ => new ConcurrentStack<OutboundSmtpClient>()).Push(client);
    }

    private void CloseIdle(bool expiredOnly)
    {
        var limit = (long)(_options.Smtp.IdleSeconds * 1000);
        foreach (var stack in _idle.Values)
        {
            var keep = new List<OutboundSmtpClient>();
            while (stack.TryPop(out var client))
            {
                if (expiredOnly && Environment.TickCount64 - client.LastUsed <= limit && client.IsConnected)
                {
                    keep.Add(client);
                }
                else
                {
                    _ = CloseAsync(client);
                }
            }

            foreach (var client in keep)
            {
                stack.Push(client);
            }
        }
    }

    private static async Task CloseAsync(OutboundSmtpClient client)
    {
        try
        {
            if (client.IsConnected)
            {
                using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await client.DisconnectAsync(quit: true, quick.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or SmtpProtocolException or OperationCanceledException or ServiceNotConnectedException or SmtpCommandException)
        {
            // Already gone: nothing to say goodbye to.
        }
        finally
        {
            client.Dispose();
        }
    }

    private async Task<OutboundSmtpClient> ConnectAsync(string domain, IReadOnlyList<SmtpDestination> destinations, CancellationToken ct)
    {
        var problems = new List<string>();
        var tlsRefused = false;
        var timeout = TimeSpan.FromSeconds(_options.Smtp.OutboundTimeoutSeconds);
        foreach (var destination in destinations)
        {
            IReadOnlyList<IPAddress> addresses;
            try
            {
                addresses = await AddressesAsync(destination.Host, ct);
            }
            catch (Exception ex) when (ex is DnsException or SocketException or ArgumentException)
            {
                problems.Add($"{destination}: {ex.Message}");
                continue;
            }

            if (addresses.Count == 0)
            {
                problems.Add($"{destination}: no address");
                continue;
            }

            foreach (var address in addresses)
            {
                var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                var client = new OutboundSmtpClient
                {
                    LocalDomain = _options.EffectiveServerName,
                    Timeout = (int)timeout.TotalMilliseconds,
                    RemoteHost = destination.Host,
                    CheckCertificateRevocation = false,
                };
                client.ServerCertificateValidationCallback = (_, certificate, _, errors) => Acceptable(destination, certificate, errors);
                try
                {
                    using (var connecting = CancellationTokenSource.CreateLinkedTokenSource(ct))
                    {
                        connecting.CancelAfter(timeout);
                        await socket.ConnectAsync(new IPEndPoint(address, destination.Port), connecting.Token);
                    }

                    var tls = destination.ImplicitTls ? SecureSocketOptions.SslOnConnect
                        : destination.TlsRequired ? SecureSocketOptions.StartTls
                        : SecureSocketOptions.StartTlsWhenAvailable;
                    await client.ConnectAsync(socket, destination.Host, destination.Port, tls, ct);
                    if (destination.Auth is { } auth)
                    {
                        var password = (await File.ReadAllTextAsync(auth.PasswordFile, ct)).TrimEnd('\r', '\n');
                        await client.AuthenticateAsync(auth.User, password, ct);
                    }

                    Interlocked.Increment(ref _connections);
                    _logger.LogDebug("SMTP connection to {Destination} ({Address}) for {Domain}: {Capabilities}", destination, address, domain, client.Capabilities);
                    return client;
                }
                catch (Exception ex) when (ex is SslHandshakeException or NotSupportedException or AuthenticationException)
                {
                    // TLS required and not offered, a refused certificate, or AUTH refused: not something another address fixes.
                    tlsRefused |= ex is not AuthenticationException;
                    problems.Add($"{destination} ({address}): {ex.Message}");
                    client.Dispose();
                    socket.Dispose();
                    break;
                }
                catch (Exception ex) when (IsConnectionFailure(ex, ct) || ex is SmtpCommandException)
                {
                    problems.Add($"{destination} ({address}): {ex.Message}");
                    client.Dispose();
                    socket.Dispose();
                }
            }
        }

        throw new PeerException(false, tlsRefused ? "smtp.tls-required" : "smtp.unreachable", $"No SMTP server for {domain} took the connection: {string.Join("; ", problems)}");
    }

    private static bool Acceptable(SmtpDestination destination, System.Security.Cryptography.X509Certificates.X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (!destination.TlsRequired)
        {
            // Opportunistic TLS (RFC 7435): an unchecked certificate still beats plain text, and refusing it would only push the message to plain text.
            return true;
        }

        return destination.Pin is { } pin ? certificate is not null && pin.Matches(certificate) : errors == SslPolicyErrors.None;
    }

    private async Task<IReadOnlyList<IPAddress>> AddressesAsync(string host, CancellationToken ct)
    {
        if (IPAddress.TryParse(host, out var literal))
        {
            return [literal];
        }

        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return [IPAddress.Loopback];
        }

        return _dns is not null ? await _dns.ResolveAddressesAsync(host, ct) : await System.Net.Dns.GetHostAddressesAsync(host, ct);
    }
}
