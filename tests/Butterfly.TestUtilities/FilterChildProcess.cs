using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Butterfly.TestUtilities;

/// <summary>
/// A filter daemon (an example, the probe, the Python filter) as a real child process. It is
/// awaited until it prints <c>filter NAME: registered</c>; it is stopped by its process id, with
/// SIGTERM (it must exit on its own) or SIGKILL.
/// </summary>
public sealed class FilterChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _registered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _marker;
    private readonly List<(string Text, TaskCompletionSource Seen)> _awaited = [];

    private FilterChildProcess(Process process, string name)
    {
        _process = process;
        _marker = $"filter {name}: registered";
    }

    /// <summary>Everything the process printed so far, stdout and stderr.</summary>
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

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The exit code (after exit).</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>
    /// Starts <paramref name="fileName"/> with <paramref name="arguments"/>, and waits until it says the
    /// filter <paramref name="name"/> registered unless <paramref name="waitRegistered"/> is false.
    /// </summary>
    public static async Task<FilterChildProcess> StartAsync(string fileName, IEnumerable<string> arguments, string name, bool waitRegistered = true)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new FilterChildProcess(process, name);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        process.Exited += (_, _) => child._registered.TrySetException(new InvalidOperationException($"{fileName} exited before registering:\n{child.Output}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (waitRegistered)
        {
            try
            {
                await child._registered.Task.WaitAsync(TimeSpan.FromSeconds(60));
            }
            catch
            {
                await child.DisposeAsync();
                throw;
            }
        }

        return child;
    }

    /// <summary>Waits until the process has printed a line containing <paramref name="text"/> (at once if it has already).</summary>
    /// <param name="text">The text to wait for.</param>
    /// <exception cref="TimeoutException">Not printed within a minute.</exception>
    public Task WaitForLineAsync(string text)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output)
        {
            if (_output.ToString().Contains(text, StringComparison.Ordinal))
            {
                return Task.CompletedTask;
            }

            _awaited.Add((text, seen));
        }

        return seen.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>Waits for the process to exit; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return _process.ExitCode;
    }

    /// <summary>Sends SIGTERM by process id and waits for the exit; returns the exit code.</summary>
    /// <exception cref="TimeoutException">The process did not stop within 30 s (it is then killed).</exception>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            try
            {
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (TimeoutException)
            {
                _process.Kill(entireProcessTree: true);
                throw new TimeoutException("The filter did not stop on SIGTERM:\n" + Output);
            }
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
            foreach (var (text, seen) in _awaited.Where(a => line.Contains(a.Text, StringComparison.Ordinal)).ToList())
            {
                seen.TrySetResult();
                _awaited.Remove((text, seen));
            }
        }

        if (line.Trim() == _marker)
        {
            _registered.TrySetResult();
        }
    }
}
