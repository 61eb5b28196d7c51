using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Butterfly.TestUtilities;

/// <summary>
/// Several real daemons on loopback, each serving its own domain, each with every other one in
/// its static <c>peers</c> map and a known dialback secret (<see cref="SecretOf"/>). Ports are
/// chosen before the daemons start (bind port 0, release) so that every config can name them.
/// </summary>
public sealed class PeerNetwork : IAsyncDisposable
{
    /// <summary>The password <see cref="AddUserAsync"/> gives when none is named.</summary>
    public const string Password = "password-123";

    private readonly Dictionary<string, DaemonProcess> _daemons = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _configs = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, int> _ports = new(StringComparer.OrdinalIgnoreCase);

    private PeerNetwork(IReadOnlyList<string> domains) => Domains = domains;

    /// <summary>The domains, one daemon each.</summary>
    public IReadOnlyList<string> Domains { get; }

    /// <summary>The daemon serving <paramref name="domain"/>.</summary>
    /// <param name="domain">A domain of the network.</param>
    public DaemonProcess this[string domain] => _daemons[domain];

    /// <summary>The dialback secret configured for <paramref name="domain"/>'s daemon (<c>federation.secret</c>).</summary>
    /// <param name="domain">A domain.</param>
    public static string SecretOf(string domain) => $"test-dialback-secret-for-{domain}";

    /// <summary>
    /// Writes the configs and starts one daemon per domain under <paramref name="directory"/>/DOMAIN.
    /// </summary>
    /// <param name="directory">A temporary folder.</param>
    /// <param name="domains">The domains.</param>
    /// <param name="configure">Changes to each daemon's butterfly.json (domain, JSON) before it is written.</param>
    /// <param name="users">Accounts to create (with <see cref="Password"/>) before the daemons start.</param>
    public static async Task<PeerNetwork> StartAsync(
        string directory,
        IReadOnlyList<string> domains,
        Action<string, JsonObject>? configure = null,
        IReadOnlyList<string>? users = null)
    {
        var network = new PeerNetwork(domains);
        foreach (var domain in domains)
        {
            network._ports[domain] = FreePort();
        }

        foreach (var domain in domains)
        {
            var folder = Path.Combine(directory, domain);
            Directory.CreateDirectory(folder);
            network._configs[domain] = DaemonProcess.WriteConfig(folder, [domain], json =>
            {
                json["listen"] = $"127.0.0.1:{network._ports[domain]}";
                var peers = new JsonObject();
                foreach (var other in domains.Where(d => !string.Equals(d, domain, StringComparison.OrdinalIgnoreCase)))
                {
                    peers[other] = new JsonObject { ["address"] = $"127.0.0.1:{network._ports[other]}" };
                }

                json["peers"] = peers;
                json["federation"] = new JsonObject { ["secret"] = SecretOf(domain) };

                // No web client: its port-0 listener, bound as the daemons start together, could take a port
                // reserved above for another daemon's listen.
                json["web"] = new JsonObject { ["listen"] = "" };
                configure?.Invoke(domain, json);
            });
        }

        try
        {
            await Task.WhenAll((users ?? []).Select(u => network.AddUserAsync(u)));
            var started = await Task.WhenAll(domains.Select(d => DaemonProcess.StartAsync(network._configs[d])));
            for (var i = 0; i < domains.Count; i++)
            {
                network._daemons[domains[i]] = started[i];
            }
        }
        catch
        {
            await network.DisposeAsync();
            throw;
        }

        return network;
    }

    /// <summary>The butterfly.json of <paramref name="domain"/>'s daemon.</summary>
    /// <param name="domain">A domain of the network.</param>
    public string ConfigOf(string domain) => _configs[domain];

    /// <summary>The port <paramref name="domain"/>'s daemon listens on.</summary>
    /// <param name="domain">A domain of the network.</param>
    public int PortOf(string domain) => _ports[domain];

    /// <summary>Creates an account with the CLI (<c>user add</c>) on the daemon of the address's domain.</summary>
    /// <param name="address">local@domain, on one of the network's domains.</param>
    /// <param name="password">The password.</param>
    public async Task AddUserAsync(string address, string password = Password)
    {
        var domain = address[(address.IndexOf('@', StringComparison.Ordinal) + 1)..];
        var result = await CliProcess.RunAsync(["user", "add", address, "--password-stdin", "--config", _configs[domain]], password + "\n");
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"user add {address} failed: {result}");
        }
    }

    /// <summary>Stops <paramref name="domain"/>'s daemon (SIGTERM) and starts it again on the same port and data.</summary>
    /// <param name="domain">A domain of the network.</param>
    public async Task<DaemonProcess> RestartAsync(string domain)
    {
        var daemon = _daemons[domain];
        await daemon.StopAsync();
        await daemon.DisposeAsync();
        _daemons[domain] = await DaemonProcess.StartAsync(_configs[domain]);
        return _daemons[domain];
    }

    /// <summary>Replaces the daemon of <paramref name="domain"/> (after the test killed it) with a fresh start.</summary>
    /// <param name="domain">A domain of the network.</param>
    public async Task<DaemonProcess> StartAgainAsync(string domain)
    {
        await _daemons[domain].DisposeAsync();
        _daemons[domain] = await DaemonProcess.StartAsync(_configs[domain]);
        return _daemons[domain];
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        foreach (var daemon in _daemons.Values)
        {
            try
            {
                await daemon.StopAsync(TimeSpan.FromSeconds(15));
            }
            catch (TimeoutException)
            {
                // StopAsync has killed it.
            }

            await daemon.DisposeAsync();
        }

        _daemons.Clear();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
