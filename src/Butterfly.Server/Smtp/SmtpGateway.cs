using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Butterfly.Protocol.Connections;
using Butterfly.Server.Commands;
using Butterfly.Server.Configuration;
using Butterfly.Server.Delivery;
using Butterfly.Server.Smtp.SenderChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SmtpServer;
using SmtpServer.Protocol;

namespace Butterfly.Server.Smtp;

/// <summary>
/// The SMTP gateway's inbound side (Butterfly as an MX): the SmtpServer library on <c>smtp.listen</c>,
/// with STARTTLS on the <c>tls</c> certificate, RCPT checked against delivery's routing, sender checks,
/// and every message through the one delivery path. Started with the host, stopped before it: a
/// stop lets sessions in DATA finish their commit.
/// </summary>
internal sealed class SmtpGateway : IHostedService
{
    private readonly ILogger _logger;
    private readonly Func<X509Certificate2?> _certificate;
    private readonly IPEndPoint _endpoint;
    private readonly CancellationTokenSource _stop = new();
    private global::SmtpServer.SmtpServer? _server;
    private Task? _running;

    public SmtpGateway(
        ButterflyOptions options,
        DeliveryPipeline pipeline,
        Dns.IDnsResolver dns,
        ByteBudget budget,
        ILoggerFactory loggers,
        Func<X509Certificate2?> certificate)
    {
        Options = options;
        Pipeline = pipeline;
        Budget = budget;
        _certificate = certificate;
        _logger = loggers.CreateLogger("Butterfly.Smtp");
        _endpoint = ButterflyOptions.TryParseEndPoint(options.Smtp.Listen, out var endpoint)
            ? endpoint
            : throw new ConfigurationException($"smtp.listen: '{options.Smtp.Listen}' is not HOST:PORT.");
        ServerName = options.EffectiveServerName;
        AuthServId = options.Smtp.AuthServId ?? ServerName;
        Limits = new SmtpLimits(options.Smtp.MaxCommandBytes, options.Limits.MaxMessageBytes, TimeSpan.FromSeconds(options.Smtp.TimeoutSeconds));
        Connections = new SmtpConnections(options.Limits);
        Penalties = new PenaltyTable<SourceKey>(options.LoginPenalty, TimeProvider.System);
        Senders = new SenderChecker(dns, ServerName);
        Listeners = new SmtpListenerFactory(this, _logger);
    }

    public ButterflyOptions Options { get; }

    public DeliveryPipeline Pipeline { get; }

    /// <summary>The server-wide in-flight budget (limits.inFlightBytes), shared with client and peer frames.</summary>
    public ByteBudget Budget { get; }

    public string ServerName { get; }

    /// <summary>The authserv-id of the Authentication-Results field (smtp.authServId, else the server's name).</summary>
    public string AuthServId { get; }

    public SmtpLimits Limits { get; }

    public SmtpConnections Connections { get; }

    /// <summary>Refused recipients per source address: the next RCPT from there waits (the loginPenalty schedule).</summary>
    public PenaltyTable<SourceKey> Penalties { get; }

    public SenderChecker Senders { get; }

    public SmtpListenerFactory Listeners { get; }

    /// <summary>Where the listener is bound (the port port 0 became), once started.</summary>
    public Task<IPEndPoint> Bound => Listeners.Bound;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var offersTls = _certificate() is not null;
        var builder = new SmtpServerOptionsBuilder()
            .ServerName(ServerName)
            .MaxMessageSize(Options.Limits.MaxMessageBytes)
            .MaxRetryCount(Math.Max(10, Options.Smtp.MaxBadRecipients + 2))
            .CommandWaitTimeout(Limits.Timeout + TimeSpan.FromSeconds(30))
            .Endpoint(endpoint =>
            {
                endpoint.Endpoint(_endpoint).SessionTimeout(TimeSpan.FromSeconds(Options.Smtp.SessionTimeoutSeconds));
                if (offersTls)
                {
                    endpoint.Certificate(new CertificateSource(_certificate)).SupportedSslProtocols(SslProtocols.Tls12 | SslProtocols.Tls13);
                }
            });
        var services = new global::SmtpServer.ComponentModel.ServiceProvider();
        services.Add(Listeners);
        services.Add(new SmtpCommands());
        services.Add(new SmtpMailboxFilter(this, _logger));
        services.Add(new SmtpMessageStore(this, _logger));
        _server = new global::SmtpServer.SmtpServer(builder.Build(), services);
        _server.SessionCreated += (_, e) => e.Context.CommandExecuting += OnCommand;
        _server.SessionFaulted += (_, e) => _logger.LogDebug(e.Exception, "SMTP: session ended with an error");
        _running = _server.StartAsync(_stop.Token);
        var bound = await Bound.WaitAsync(cancellationToken);
        if (!offersTls)
        {
            _logger.LogWarning("SMTP on {EndPoint} offers no STARTTLS: the tls certificate ({Certificate}) is not there", bound, Options.Tls.Certificate);
        }

        _logger.LogInformation("SMTP: listening on {EndPoint} for {Domains}", bound, string.Join(", ", Options.Domains));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is null || _running is null)
        {
            return;
        }

        // Stop listening; sessions end at their next command (a message being committed finishes first).
        _server.Shutdown();
        try
        {
            await _server.ShutdownTask.WaitAsync(TimeSpan.FromSeconds(Options.ShutdownTimeoutSeconds), cancellationToken);
            await _running.WaitAsync(TimeSpan.FromSeconds(Options.ShutdownTimeoutSeconds), cancellationToken);
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("SMTP: sessions still open at shutdown were cut");
        }
        finally
        {
            await _stop.CancelAsync();
        }
    }

    private static void OnCommand(object? sender, SmtpCommandEventArgs e)
    {
        var session = SmtpSessionState.Of(e.Context);
        switch (e.Command)
        {
            case EhloCommand ehlo:
                session.Helo = ehlo.DomainOrAddress;
                session.Extended = true;
                break;
            case HeloCommand helo:
                session.Helo = helo.DomainOrAddress;
                session.Extended = false;
                break;
            case MailCommand mail:
                session.MailParameters = mail.Parameters;
                break;
        }
    }

    private sealed class CertificateSource(Func<X509Certificate2?> certificate) : ICertificateFactory
    {
        public X509Certificate GetServerCertificate(ISessionContext sessionContext) =>
            certificate() ?? throw new AuthenticationException("No TLS certificate is loaded.");
    }
}
