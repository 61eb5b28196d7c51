using System.Net;
using Butterfly.Storage;

namespace Butterfly.Server.Configuration;

/// <summary>Everything <c>butterfly.json</c> configures. Keys are matched case-insensitively.</summary>
public sealed class ButterflyOptions
{
    /// <summary>HOST:PORT the daemon listens on. Port 0 lets the OS pick. Default 127.0.0.1:7410.</summary>
    public string Listen { get; set; } = "127.0.0.1:7410";

    /// <summary>Folder for the database; relative paths are taken from the config file's folder. Default <c>data</c>.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>The mail domains this server serves. Default <c>localhost</c>.</summary>
    public List<string> Domains { get; set; } = [];

    /// <summary>The name the server gives itself in hello replies and trace fields. Default: the first domain.</summary>
    public string? ServerName { get; set; }

    /// <summary>Open registration.</summary>
    public RegistrationOptions Registration { get; set; } = new();

    /// <summary>Password hashing: bcrypt cost and the hashing queue.</summary>
    public PasswordOptions Passwords { get; set; } = new();

    /// <summary>Limits against abuse.</summary>
    public LimitOptions Limits { get; set; } = new();

    /// <summary>How failed logins slow the next attempt, per address and per account.</summary>
    public LoginPenaltyOptions LoginPenalty { get; set; } = new();

    /// <summary>DNS lookups for finding peer servers (SRV, A, AAAA): servers, timeouts and cache size.</summary>
    public DnsOptions Dns { get; set; } = new();

    /// <summary>The outbound queue and held inbound mail.</summary>
    public QueueOptions Queue { get; set; } = new();

    /// <summary>Client submission ids: how long they are remembered.</summary>
    public SubmissionOptions Submissions { get; set; } = new();

    /// <summary>The mail store's room on disk: the free-space floor for new mail and the reserve for deletes.</summary>
    public StorageOptions Store { get; set; } = new();

    /// <summary>Peer servers by domain, looked up before DNS (protocol/peer.md, "Discovery").</summary>
    public Dictionary<string, PeerOptions> Peers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Dialback and peer connections.</summary>
    public FederationOptions Federation { get; set; } = new();

    /// <summary>The TLS listener.</summary>
    public TlsOptions Tls { get; set; } = new();

    /// <summary>The SMTP gateway (the smtp section).</summary>
    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>The filter daemons expected on the filter socket, in chain order (protocol/filter.md).</summary>
    public List<FilterOptions> Filters { get; set; } = [];

    /// <summary>The UNIX socket filter daemons connect to.</summary>
    public FilterSocketOptions FilterSocket { get; set; } = new();

    /// <summary>Storage quotas: the default one.</summary>
    public QuotaOptions Quota { get; set; } = new();

    /// <summary>Subaddressing (<c>user+tag@domain</c>).</summary>
    public AddressOptions Addresses { get; set; } = new();

    /// <summary>Push events and how long "changes since" can look back.</summary>
    public EventOptions Events { get; set; } = new();

    /// <summary>Programmable addresses: run limits, worker pool, failure policy.</summary>
    public ScriptOptions Scripts { get; set; } = new();

    /// <summary>The metrics and health endpoint.</summary>
    public MetricsOptions Metrics { get; set; } = new();

    /// <summary>The web client: its HTTP listener, allowed origins, TLS, session tokens.</summary>
    public WebOptions Web { get; set; } = new();

    /// <summary>Seconds to let in-flight requests finish on shutdown. Default 10.</summary>
    public double ShutdownTimeoutSeconds { get; set; } = 10;

    /// <summary>Log levels by category.</summary>
    public LoggingOptions Logging { get; set; } = new();

    /// <summary>The folder the configuration file was read from (null when there was none).</summary>
    public string? ConfigDirectory { get; set; }

    /// <summary>The configuration file read (null when there was none).</summary>
    public string? ConfigFile { get; set; }

    /// <summary>The command-line overrides these options were loaded with, so a reload (SIGHUP) applies them again.</summary>
    internal ConfigOverrides LoadedWith { get; set; } = ConfigOverrides.None;

    /// <summary>The server's own name: <see cref="ServerName"/> or the first domain.</summary>
    public string EffectiveServerName => string.IsNullOrWhiteSpace(ServerName) ? Domains[0] : ServerName!;

    /// <summary>The data folder as an absolute path.</summary>
    public string ResolvedDataDirectory =>
        Path.GetFullPath(DataDirectory, ConfigDirectory ?? Directory.GetCurrentDirectory());

    /// <summary>
    /// Whether <paramref name="domain"/> is one this server serves: case-insensitive, and compared as
    /// A-labels without a trailing dot (<see cref="NameRules.TryNormalizeDomain"/>), so a configured
    /// <c>bücher.example</c> serves <c>xn--bcher-kva.example</c>.
    /// </summary>
    /// <param name="domain">A domain name.</param>
    public bool IsLocalDomain(string domain) =>
        Domains.Exists(d => string.Equals(d, domain, StringComparison.OrdinalIgnoreCase))
        || (NameRules.TryNormalizeDomain(domain, out var ascii)
            && Domains.Exists(d => NameRules.TryNormalizeDomain(d, out var served) && served == ascii));

    /// <summary>The store settings these options imply.</summary>
    /// <param name="notice">Told what the store does about disk space, for the log.</param>
    public StoreOptions ToStoreOptions(Action<string>? notice = null) => new()
    {
        Notice = notice,
        DataDirectory = ResolvedDataDirectory,
        PasswordCost = Passwords.Cost,
        AllowWeakPasswordHashingForTests = Passwords.AllowWeakHashingForTests,
        MaxQueuedPasswordHashes = Passwords.MaxQueuedHashes,
        MinFreeBytes = Store.MinFreeBytes,
        ReserveBytes = Store.ReserveBytes,
        FreeSpaceCheckInterval = TimeSpan.FromSeconds(Store.FreeSpaceCheckSeconds),
        DefaultQuotaBytes = Quota.DefaultBytes,
    };

    /// <summary>The PostgreSQL store settings these options imply (<c>store.kind</c> <c>postgres</c>).</summary>
    public Butterfly.Storage.Postgres.PostgresStoreOptions ToPostgresStoreOptions() => new()
    {
        ConnectionString = Store.ConnectionString ?? throw new ConfigurationException("store.connectionString is required when store.kind is \"postgres\"."),
        TextSearchConfiguration = Store.TextSearch,
        LeaseDuration = TimeSpan.FromSeconds(Store.LeaseSeconds),
        PasswordCost = Passwords.Cost,
        AllowWeakPasswordHashingForTests = Passwords.AllowWeakHashingForTests,
        MaxQueuedPasswordHashes = Passwords.MaxQueuedHashes,
        DefaultQuotaBytes = Quota.DefaultBytes,
    };

    /// <summary>Parses <see cref="Listen"/>.</summary>
    public IPEndPoint ParseListen()
    {
        if (!TryParseEndPoint(Listen, out var endpoint))
        {
            throw new ConfigurationException($"listen: '{Listen}' is not HOST:PORT (an IP address and a port, e.g. 127.0.0.1:7410 or [::1]:7410).");
        }

        return endpoint;
    }

    /// <summary>Parses HOST:PORT where HOST is an IP address or <c>localhost</c>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="endpoint">The endpoint.</param>
    public static bool TryParseEndPoint(string? text, out IPEndPoint endpoint)
    {
        endpoint = null!;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        if (text.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase))
        {
            text = "127.0.0.1" + text["localhost".Length..];
        }

        if (!IPEndPoint.TryParse(text, out var parsed) || !text.Contains(':', StringComparison.Ordinal))
        {
            return false;
        }

        endpoint = parsed;
        return true;
    }

    internal void Validate()
    {
        var problems = new List<string>();
        if (Domains.Count == 0)
        {
            problems.Add("domains: at least one mail domain is needed.");
        }

        foreach (var domain in Domains)
        {
            if (Uri.CheckHostName(domain) != UriHostNameType.Dns)
            {
                problems.Add($"domains: '{domain}' is not a domain name.");
            }
        }

        if (!TryParseEndPoint(Listen, out _))
        {
            problems.Add($"listen: '{Listen}' is not HOST:PORT (an IP address and a port).");
        }

        problems.AddRange(Passwords.Validate());
        problems.AddRange(Limits.Validate());
        problems.AddRange(LoginPenalty.Validate());
        problems.AddRange(FilterOptions.Validate(Filters));
        problems.AddRange(FilterSocket.Validate());
        problems.AddRange(Federation.Validate());
        problems.AddRange(Tls.Validate());
        problems.AddRange(Smtp.Validate());
        problems.AddRange(Dns.Validate());
        problems.AddRange(Queue.Validate());
        problems.AddRange(Submissions.Validate());
        problems.AddRange(Store.Validate());
        problems.AddRange(Quota.Validate());
        problems.AddRange(Addresses.Validate());
        problems.AddRange(Events.Validate());
        problems.AddRange(Scripts.Validate());
        problems.AddRange(Smtp.ValidateOutbound());
        problems.AddRange(Metrics.Validate());
        problems.AddRange(Web.Validate());
        problems.AddRange(Logging.Validate());
        foreach (var (domain, peer) in Peers)
        {
            if (!PeerOptions.TryParseHostPort(peer.Address, out _, out _))
            {
                problems.Add($"peers.{domain}.address: '{peer.Address}' is not HOST:PORT.");
            }

            if (!string.IsNullOrWhiteSpace(peer.Pin) && peer.ParsedPin is null)
            {
                problems.Add($"peers.{domain}.pin: '{peer.Pin}' is not a SHA-256 pin (64 hex digits, or spki-sha256:HEX for the public key).");
            }
        }

        if (problems.Count > 0)
        {
            // Named after its file: a problem may come from a file other than the one the operator had in mind.
            var where = ConfigFile is null ? "The configuration" : $"The configuration in {ConfigFile}";
            throw new ConfigurationException(where + " is not usable:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", problems));
        }
    }
}
