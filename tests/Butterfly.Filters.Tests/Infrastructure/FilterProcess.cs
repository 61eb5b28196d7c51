using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Butterfly.Filters.Tests.Infrastructure;

/// <summary>
/// An example filter daemon as a real child process. Started, it is awaited until it prints
/// <c>filter NAME: registered</c>; stopped, it gets SIGTERM and must exit on its own.
/// </summary>
internal sealed partial class FilterProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _registered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _marker;

    private FilterProcess(Process process, string name)
    {
        _process = process;
        _marker = $"filter {name}: registered";
    }

    /// <summary>Everything the filter printed so far.</summary>
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

    /// <summary>Starts <paramref name="command"/> with the socket and name options and more arguments, and waits until it registered.</summary>
    public static async Task<FilterProcess> StartAsync(FilterCommand command, string socket, string name, params string[] args)
    {
        var info = new ProcessStartInfo(command.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in command.Arguments)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var arg in (string[])["--socket", socket, "--name", name, .. args])
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var filter = new FilterProcess(process, name);
        process.OutputDataReceived += (_, e) => filter.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => filter.OnLine(e.Data);
        process.Exited += (_, _) => filter._registered.TrySetException(new InvalidOperationException($"{command} exited before registering:\n{filter.Output}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await filter._registered.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            await filter.DisposeAsync();
            throw;
        }

        return filter;
    }

    /// <summary>Sends SIGTERM and waits for the exit; returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            _ = SysKill(_process.Id, 15);
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

        if (line.Trim() == _marker)
        {
            _registered.TrySetResult();
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SysKill(int pid, int signal);
}
