using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;

namespace Butterfly.TestUtilities;

/// <summary>
/// The real daemon as a child process (<c>dotnet butterfly.dll serve</c>) on a loopback port the OS
/// picks, with its own butterfly.json and data folder. Stop it gracefully (SIGTERM) or kill it (SIGKILL).
/// </summary>
public sealed partial class DaemonProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DaemonProcess(Process process, string configPath)
    {
        _process = process;
        ConfigPath = configPath;
    }

    /// <summary>HOST:PORT the daemon listens on.</summary>
    public string EndPoint { get; private set; } = string.Empty;

    /// <summary>The port the daemon listens on.</summary>
    public int Port => int.Parse(EndPoint[(EndPoint.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The base address of /metrics and /healthz (<c>http://HOST:PORT</c>), or null when the daemon serves none.</summary>
    public Uri? MetricsAddress { get; private set; }

    /// <summary>The web client's address (<c>http://HOST:PORT/</c>) from the daemon's "butterfly: Web client on" line, or null when it serves none.</summary>
    public Uri? WebUrl { get; private set; }

    /// <summary>The configuration file the daemon was started with.</summary>
    public string ConfigPath { get; }

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Everything the daemon printed so far (stdout and stderr).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Writes a butterfly.json for tests into <paramref name="directory"/>: fast password hashing, data in ./data.</summary>
    /// <param name="directory">The folder for the file and the data.</param>
    /// <param name="domains">The domains served.</param>
    /// <param name="configure">Changes to the JSON before it is written.</param>
    public static string WriteConfig(string directory, IReadOnlyList<string>? domains = null, Action<JsonObject>? configure = null)
    {
        var domainArray = new JsonArray();
        foreach (var domain in domains ?? ["example.org"])
        {
            domainArray.Add(domain);
        }

        var config = new JsonObject
        {
            ["listen"] = "127.0.0.1:0",
            ["dataDirectory"] = "data",
            ["domains"] = domainArray,
            ["passwords"] = new JsonObject { ["cost"] = 4, ["allowWeakHashingForTests"] = true },
            ["limits"] = new JsonObject(),
            ["logging"] = new JsonObject { ["LogLevel"] = new JsonObject { ["Default"] = "Information" } },

            // Its own port for /metrics and /healthz, so that daemons of tests running side by side never collide.
            ["metrics"] = new JsonObject { ["listen"] = "127.0.0.1:0" },

            // The web client's listener likewise (its default, 127.0.0.1:7480, is the operator's).
            ["web"] = new JsonObject { ["listen"] = "127.0.0.1:0" },
        };
        configure?.Invoke(config);
        var path = System.IO.Path.Combine(directory, "butterfly.json");
        File.WriteAllText(path, config.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        return path;
    }

    /// <summary>Starts the daemon and waits until it listens.</summary>
    /// <param name="configPath">Its butterfly.json.</param>
    /// <param name="extraArgs">More arguments for <c>serve</c>.</param>
    public static Task<DaemonProcess> StartAsync(string configPath, params string[] extraArgs) =>
        StartAsync(configPath, _ => { }, extraArgs);

    /// <summary>Starts the daemon with a changed start description (another parent process, more environment) and waits until it listens.</summary>
    /// <param name="configPath">Its butterfly.json.</param>
    /// <param name="configure">Changes to the start description of <c>dotnet butterfly.dll serve</c>.</param>
    /// <param name="extraArgs">More arguments for <c>serve</c>.</param>
    public static async Task<DaemonProcess> StartAsync(string configPath, Action<ProcessStartInfo> configure, params string[] extraArgs)
    {
        var info = CliProcess.StartInfo(["serve", "--config", configPath, .. extraArgs]);
        info.WorkingDirectory = System.IO.Path.GetDirectoryName(configPath)!;
        configure(info);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var daemon = new DaemonProcess(process, configPath);
        process.OutputDataReceived += (_, e) => daemon.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => daemon.OnLine(e.Data);
        process.Exited += (_, _) => daemon._listening.TrySetException(new InvalidOperationException("The daemon exited before listening:\n" + daemon.Output));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            daemon.EndPoint = await daemon._listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            await daemon.DisposeAsync();
            throw;
        }

        return daemon;
    }

    /// <summary>Kills the process at once (SIGKILL): no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>Asks the daemon to stop (SIGTERM) and waits for it; kills it if it takes too long.</summary>
    /// <returns>The exit code.</returns>
    public async Task<int> StopAsync(TimeSpan? timeout = null)
    {
        if (!_process.HasExited)
        {
            _ = SysKill(_process.Id, 15);
            try
            {
                await _process.WaitForExitAsync().WaitAsync(timeout ?? TimeSpan.FromSeconds(30));
            }
            catch (TimeoutException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
                throw new TimeoutException("The daemon did not stop on SIGTERM:\n" + Output);
            }
        }

        return _process.ExitCode;
    }

    /// <summary>Sends SIGHUP (reload the TLS certificate).</summary>
    public void HangUp()
    {
        if (SysKill(_process.Id, 1) != 0)
        {
            throw new InvalidOperationException($"kill -HUP {_process.Id} failed: errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        const string metrics = "butterfly: metrics on ";
        if (line.StartsWith(metrics, StringComparison.Ordinal))
        {
            MetricsAddress = new Uri(new Uri(line[metrics.Length..].Trim()), "/");
        }

        const string web = "butterfly: Web client on ";
        if (line.StartsWith(web, StringComparison.Ordinal))
        {
            WebUrl = new Uri(line[web.Length..].Trim());
        }

        const string marker = "butterfly: listening on ";
        if (line.StartsWith(marker, StringComparison.Ordinal))
        {
            _listening.TrySetResult(line[marker.Length..].Trim());
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SysKill(int pid, int signal);
}
