using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Npgsql;

namespace Butterfly.TestUtilities;

/// <summary>
/// A private PostgreSQL cluster (Debian's <c>postgresql</c> package) in a temp folder: <c>initdb</c>,
/// then <c>pg_ctl start</c> on 127.0.0.1 at a free port with its unix socket in the temp folder,
/// <c>fsync</c> and <c>synchronous_commit</c> on (the promises the store makes hold only with them).
/// It depends on no system cluster. As root (CI) the cluster runs as the <c>postgres</c> user
/// (<c>initdb</c> refuses root), through <c>runuser</c>, in a folder handed to that user. Use it as an
/// xunit collection or class fixture: one cluster serves the tests, each test takes a database of its
/// own (<see cref="CreateDatabase"/>). Disposing stops it (<c>pg_ctl stop -m fast</c>; the postmaster
/// killed by its id when that fails) and deletes the folder.
/// </summary>
public sealed partial class PrivatePostgres : IDisposable
{
    private const string Superuser = "postgres";
    private const int Attempts = 5;

    private readonly TempDirectory _folder;
    private readonly string _bin;
    private readonly bool _asPostgresUser;
    private int _databases;
    private bool _stopped;

    /// <summary>Creates and starts a cluster; returns once it accepts connections.</summary>
    /// <exception cref="InvalidOperationException">PostgreSQL is not installed, or it would not start (the message holds its log).</exception>
    public PrivatePostgres()
    {
        _bin = FindBinaries();
        _asPostgresUser = GetEuid() == 0;
        _folder = new TempDirectory("postgres");
        try
        {
            if (_asPostgresUser)
            {
                Run("/usr/bin/chown", Superuser + ":", _folder.Path);
            }

            // --no-sync: initdb's own files of a throwaway cluster need no flush; the server runs with fsync on.
            RunAsOwner(Path.Combine(_bin, "initdb"), "--no-sync", "-D", DataDirectory, "-U", Superuser, "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8");
            Directory.CreateDirectory(SocketDirectory);
            if (_asPostgresUser)
            {
                Run("/usr/bin/chown", Superuser + ":", SocketDirectory);
            }

            Start();
        }
        catch
        {
            _folder.Dispose();
            throw;
        }
    }

    /// <summary>The address the cluster listens on (always 127.0.0.1).</summary>
    public string Host => "127.0.0.1";

    /// <summary>The TCP port the cluster listens on.</summary>
    public int Port { get; private set; }

    /// <summary>The cluster's data folder.</summary>
    public string DataDirectory => _folder.Combine("data");

    /// <summary>The folder of the cluster's unix socket.</summary>
    public string SocketDirectory => _folder.Combine("socket");

    /// <summary>The server's log file.</summary>
    public string LogFile => _folder.Combine("server.log");

    /// <summary>The postmaster's process id (from <c>postmaster.pid</c>); 0 when it is not running.</summary>
    public int PostmasterId
    {
        get
        {
            try
            {
                var first = File.ReadLines(Path.Combine(DataDirectory, "postmaster.pid")).FirstOrDefault();
                return int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0;
            }
            catch (IOException)
            {
                return 0;
            }
            catch (UnauthorizedAccessException)
            {
                return 0;
            }
        }
    }

    /// <summary>A connection string for database <paramref name="database"/> as the superuser (no pooling across clusters).</summary>
    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = Host,
        Port = Port,
        Username = Superuser,
        Database = database,
    }.ConnectionString;

    /// <summary>Creates a new, empty database of its own for one test and returns its connection string.</summary>
    public string CreateDatabase()
    {
        var name = "test_" + Interlocked.Increment(ref _databases).ToString(CultureInfo.InvariantCulture);
        using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            command.ExecuteNonQuery();
        }

        return ConnectionString(name);
    }

    /// <summary>Stops the cluster (fast shutdown, then a kill by process id) and deletes its folder.</summary>
    public void Dispose()
    {
        try
        {
            Stop();
        }
        finally
        {
            _folder.Dispose();
        }
    }

    private void Start()
    {
        var log = string.Empty;
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            // pg_ctl cannot be given port 0: take one the OS just handed out, another when it was taken in between.
            Port = FreePort();
            var options = string.Join(
                ' ',
                "-c listen_addresses=127.0.0.1",
                $"-c port={Port.ToString(CultureInfo.InvariantCulture)}",
                $"-c unix_socket_directories={SocketDirectory}",
                "-c fsync=on",
                "-c synchronous_commit=on",
                "-c max_connections=100",
                "-c shared_buffers=16MB");
            var (code, output) = TryRunAsOwner(Path.Combine(_bin, "pg_ctl"), "start", "-w", "-t", "60", "-D", DataDirectory, "-l", LogFile, "-o", options);
            if (code == 0)
            {
                return;
            }

            log = output + Environment.NewLine + ReadLog();
            if (PostmasterId != 0)
            {
                Stop();
                _stopped = false;
            }
        }

        throw new InvalidOperationException($"The private PostgreSQL cluster would not start:{Environment.NewLine}{log}");
    }

    private void Stop()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        NpgsqlConnection.ClearAllPools();
        var postmaster = PostmasterId;
        if (postmaster == 0)
        {
            return;
        }

        var (code, _) = TryRunAsOwner(Path.Combine(_bin, "pg_ctl"), "stop", "-w", "-t", "30", "-m", "fast", "-D", DataDirectory);
        if (code == 0 && !IsAlive(postmaster))
        {
            return;
        }

        // The postmaster's backends notice its death and exit on their own.
        Process process;
        try
        {
            process = Process.GetProcessById(postmaster);
        }
        catch (ArgumentException)
        {
            return; // gone already
        }

        using (process)
        {
            _ = SysKill(postmaster, 9);
            if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                throw new InvalidOperationException($"The private PostgreSQL cluster's postmaster {postmaster} outlived SIGKILL by 10 s.");
            }
        }
    }

    private string ReadLog()
    {
        try
        {
            return File.ReadAllText(LogFile);
        }
        catch (IOException)
        {
            return string.Empty;
        }
        catch (UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    /// <summary>Whether process <paramref name="pid"/> exists (and is no zombie).</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..];
            return !state.StartsWith('Z');
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The ids of the processes whose parent is <paramref name="pid"/> (a postmaster's backends and workers).</summary>
    public static IReadOnlyList<int> ChildrenOf(int pid)
    {
        var children = new List<int>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var child))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(entry, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1], CultureInfo.InvariantCulture) == pid)
                {
                    children.Add(child);
                }
            }
            catch (IOException)
            {
                // Gone while we looked.
            }
        }

        return children;
    }

    private static string FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        var versions = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Where(d => File.Exists(Path.Combine(d, "bin", "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0)
                .ToList()
            : [];
        return versions.Count > 0
            ? Path.Combine(versions[0], "bin")
            : throw new InvalidOperationException(
                $"This test runs a private PostgreSQL cluster and needs Debian's postgresql package ({root}/VERSION/bin/initdb is missing): apt-get install postgresql (.ci/run installs it).");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void RunAsOwner(string program, params string[] arguments)
    {
        var (code, output) = TryRunAsOwner(program, arguments);
        if (code != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} failed ({code}):{Environment.NewLine}{output}");
        }
    }

    private (int Code, string Output) TryRunAsOwner(string program, params string[] arguments)
        => _asPostgresUser ? TryRun("/usr/sbin/runuser", ["-u", Superuser, "--", program, .. arguments]) : TryRun(program, arguments);

    private static void Run(string program, params string[] arguments)
    {
        var (code, output) = TryRun(program, arguments);
        if (code != 0)
        {
            throw new InvalidOperationException($"{program} failed ({code}):{Environment.NewLine}{output}");
        }
    }

    private static (int Code, string Output) TryRun(string program, IReadOnlyList<string> arguments)
    {
        // pg_ctl start leaves the postmaster holding no pipe of ours (its output goes to the log file),
        // so reading to the end returns when pg_ctl exits.
        var info = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = "/",
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.GetAwaiter().GetResult());
    }

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEuid();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SysKill(int pid, int signal);
}
