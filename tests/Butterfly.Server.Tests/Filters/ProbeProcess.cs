using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace Butterfly.Server.Tests.Filters;

/// <summary>
/// The probe filter (tests/Butterfly.FilterProbe) as a real child process: <c>dotnet
/// Butterfly.FilterProbe.dll ...</c>, awaited until it prints <c>filter NAME: registered</c>.
/// </summary>
internal sealed class ProbeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _registered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _marker;

    private ProbeProcess(Process process, string name)
    {
        _process = process;
        _marker = $"filter {name}: registered";
    }

    /// <summary>Everything the probe printed so far.</summary>
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

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The exit code (after exit).</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Starts the probe; waits until it has registered unless <paramref name="waitRegistered"/> is false.</summary>
    public static async Task<ProbeProcess> StartAsync(string socket, string name, string[] args, bool waitRegistered = true)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Butterfly.FilterProbe.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])[dll, "--socket", socket, "--name", name, .. args])
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var probe = new ProbeProcess(process, name);
        process.OutputDataReceived += (_, e) => probe.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => probe.OnLine(e.Data);
        process.Exited += (_, _) => probe._registered.TrySetException(new InvalidOperationException("The probe exited before registering:\n" + probe.Output));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (waitRegistered)
        {
            try
            {
                await probe._registered.Task.WaitAsync(TimeSpan.FromSeconds(60));
            }
            catch
            {
                await probe.DisposeAsync();
                throw;
            }
        }

        return probe;
    }

    /// <summary>Waits for the process to exit; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return _process.ExitCode;
    }

    /// <summary>Sends SIGTERM and waits; returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM by pid, through kill(1): the probe must stop on its own.
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }

        return _process.ExitCode;
    }

    /// <summary>Kills the process by its id (SIGKILL) and waits for it.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>The probe's log lines (one JSON object per request), from <paramref name="path"/>.</summary>
    public static IReadOnlyList<JsonObject> ReadLog(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var lines = new List<JsonObject>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                lines.Add(JsonNode.Parse(line)!.AsObject());
            }
        }

        return lines;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
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

        if (line.Trim() == _marker)
        {
            _registered.TrySetResult();
        }
    }
}
