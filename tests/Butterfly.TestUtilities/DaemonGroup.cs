using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Npgsql;

namespace Butterfly.TestUtilities;

/// <summary>
/// Several real daemons serving the same domains on one PostgreSQL database (issue 17, "Several
/// daemons, one database"). Each has a data folder of its own under DIRECTORY/dN (butterfly.json,
/// control socket, keys, lock) and a listen port of its own, chosen before any starts so that
/// configs (of peers, say) can name them; they share <c>store.connectionString</c> and the
/// dialback secret, as the daemons of one domain must (protocol/peer.md, "Dialback").
/// </summary>
public sealed class DaemonGroup : IAsyncDisposable
{
    /// <summary>The password <see cref="AddUserAsync"/> gives when none is named.</summary>
    public const string Password = "password-123";

    private readonly DaemonProcess?[] _daemons;
    private readonly string[] _configs;
    private readonly int[] _ports;

    private DaemonGroup(int count, string connectionString)
    {
        _daemons = new DaemonProcess?[count];
        _configs = new string[count];
        _ports = new int[count];
        ConnectionString = connectionString;
    }

    /// <summary>The number of daemons.</summary>
    public int Count => _daemons.Length;

    /// <summary>The database every daemon of the group uses.</summary>
    public string ConnectionString { get; }

    /// <summary>The running daemon number <paramref name="index"/>.</summary>
    /// <param name="index">0 to <see cref="Count"/> − 1.</param>
    public DaemonProcess this[int index] => _daemons[index] ?? throw new InvalidOperationException($"Daemon {index} is not running.");

    /// <summary>The running daemons, in order.</summary>
    public IEnumerable<DaemonProcess> Running => _daemons.OfType<DaemonProcess>();

    /// <summary>Sets the <c>store</c> section of a butterfly.json to PostgreSQL at <paramref name="connectionString"/>.</summary>
    /// <param name="json">The configuration.</param>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="leaseSeconds">How long a daemon's claim on queued work lasts (<c>store.leaseSeconds</c>); short in tests so that a killed daemon's work is taken over soon.</param>
    public static void UsePostgres(JsonObject json, string connectionString, int leaseSeconds = 2)
    {
        ArgumentNullException.ThrowIfNull(json);
        json["store"] = new JsonObject
        {
            ["kind"] = "postgres",
            ["connectionString"] = connectionString,
            ["leaseSeconds"] = leaseSeconds,
        };
    }

    /// <summary>
    /// Writes the configs under <paramref name="directory"/>/d0, d1, … and starts the daemons: the
    /// first alone (it brings the schema up to date), then the others together; or, with
    /// <paramref name="startTogether"/>, all at once on the empty database.
    /// </summary>
    /// <param name="directory">A temporary folder.</param>
    /// <param name="count">How many daemons.</param>
    /// <param name="connectionString">The shared database (an empty one from <see cref="PrivatePostgres.CreateDatabase"/>).</param>
    /// <param name="domains">The domains every daemon serves.</param>
    /// <param name="configure">Changes to daemon N's butterfly.json (N, JSON) before it is written.</param>
    /// <param name="users">Accounts to create (with <see cref="Password"/>) through daemon 0 before the others start (with <paramref name="startTogether"/>, after all did).</param>
    /// <param name="startTogether">Start every daemon at once: they race to create the schema.</param>
    public static async Task<DaemonGroup> StartAsync(
        string directory,
        int count,
        string connectionString,
        IReadOnlyList<string> domains,
        Action<int, JsonObject>? configure = null,
        IReadOnlyList<string>? users = null,
        bool startTogether = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);

        // Npgsql pools up to 100 connections per daemon, and the private cluster allows 100 in all: a
        // busy group runs out ("53300: sorry, too many clients already": a send fails). Share them out,
        // as an operator must (Maximum Pool Size × daemons below max_connections), keeping some for the
        // tests' own connections.
        var pooled = new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = Math.Max(4, 80 / count) }.ConnectionString;
        var group = new DaemonGroup(count, pooled);
        for (var i = 0; i < count; i++)
        {
            group._ports[i] = FreePort();
        }

        for (var i = 0; i < count; i++)
        {
            var folder = Path.Combine(directory, $"d{i}");
            Directory.CreateDirectory(folder);
            var index = i;
            group._configs[i] = DaemonProcess.WriteConfig(folder, domains, json =>
            {
                json["listen"] = $"127.0.0.1:{group._ports[index]}";
                UsePostgres(json, group.ConnectionString);

                // One secret for the domain's daemons: a peer may verify a key with any of them.
                json["federation"] = new JsonObject { ["secret"] = "test-dialback-secret-of-the-group" };

                // No web client: a port-0 web listener bound while daemons start together could take a port reserved above.
                json["web"] = new JsonObject { ["listen"] = "" };
                configure?.Invoke(index, json);
            });
        }

        try
        {
            var first = startTogether ? 0 : 1;
            if (!startTogether)
            {
                group._daemons[0] = await DaemonProcess.StartAsync(group._configs[0]);
                await Task.WhenAll((users ?? []).Select(u => group.AddUserAsync(u)));
            }

            var starting = Enumerable.Range(first, count - first).ToDictionary(i => i, i => DaemonProcess.StartAsync(group._configs[i]));
            try
            {
                await Task.WhenAll(starting.Values);
            }
            finally
            {
                // Those that did start are stopped on dispose when another did not.
                foreach (var (i, start) in starting.Where(p => p.Value.IsCompletedSuccessfully))
                {
                    group._daemons[i] = start.Result;
                }
            }

            if (startTogether)
            {
                await Task.WhenAll((users ?? []).Select(u => group.AddUserAsync(u)));
            }
        }
        catch
        {
            await group.DisposeAsync();
            throw;
        }

        return group;
    }

    /// <summary>The butterfly.json of daemon <paramref name="index"/>.</summary>
    /// <param name="index">0 to <see cref="Count"/> − 1.</param>
    public string ConfigOf(int index) => _configs[index];

    /// <summary>The port daemon <paramref name="index"/> listens on (reserved before it started).</summary>
    /// <param name="index">0 to <see cref="Count"/> − 1.</param>
    public int PortOf(int index) => _ports[index];

    /// <summary>Creates an account with the CLI (<c>user add</c>) through daemon <paramref name="through"/>'s control socket.</summary>
    /// <param name="address">local@domain.</param>
    /// <param name="password">The password.</param>
    /// <param name="through">Which daemon's configuration the CLI is given.</param>
    public async Task AddUserAsync(string address, string password = Password, int through = 0)
    {
        var result = await CliProcess.RunAsync(["user", "add", address, "--password-stdin", "--config", _configs[through]], password + "\n");
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"user add {address} through daemon {through} failed: {result}");
        }
    }

    /// <summary>Kills daemon <paramref name="index"/> at once (SIGKILL) and forgets it.</summary>
    /// <param name="index">0 to <see cref="Count"/> − 1.</param>
    /// <returns>The dead process, for its <see cref="DaemonProcess.Output"/> (complete: the kill waits for the end of its output).</returns>
    public async Task<DaemonProcess> KillAsync(int index)
    {
        var daemon = this[index];
        _daemons[index] = null;
        await daemon.KillAsync();
        await daemon.DisposeAsync();
        return daemon;
    }

    /// <summary>Starts daemon <paramref name="index"/> (after a kill) on its data folder and port.</summary>
    /// <param name="index">0 to <see cref="Count"/> − 1.</param>
    public async Task<DaemonProcess> StartAgainAsync(int index)
    {
        if (_daemons[index] is { } old)
        {
            await old.DisposeAsync();
        }

        return _daemons[index] = await DaemonProcess.StartAsync(_configs[index]);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        for (var i = 0; i < _daemons.Length; i++)
        {
            if (_daemons[i] is not { } daemon)
            {
                continue;
            }

            _daemons[i] = null;
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
    }

    /// <summary>A loopback port the OS just handed out (bound, then released) for a config to name.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
