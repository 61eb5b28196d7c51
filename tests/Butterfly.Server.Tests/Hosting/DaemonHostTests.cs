using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Hosting;

/// <summary>
/// The daemon as a service. deploy/butterfly.service runs it as <c>Type=notify</c>: systemd waits for READY=1
/// before it counts the service as started. The systemd test gives the real daemon what systemd gives a service
/// (a parent process named systemd and a NOTIFY_SOCKET) and listens on that socket; the others check that
/// outside systemd it logs as before.
/// </summary>
public sealed partial class DaemonHostTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _directory = new("bf-systemd");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Serve_UnderSystemd_NotifiesReadyThenStoppingAndLogsForJournald()
    {
        var socketPath = _directory.Combine("notify.sock");
        using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        notify.Bind(new UnixDomainSocketEndPoint(socketPath));
        var config = DaemonProcess.WriteConfig(_directory.Path);

        await using var daemon = await DaemonProcess.StartAsync(config, info => UnderSystemd(info, socketPath));

        Assert.Equal("READY=1", await ReceiveAsync(notify));
        Assert.Equal(0, await daemon.StopAsync());
        Assert.Equal("STOPPING=1", await ReceiveAsync(notify));

        // journald takes the priority from the <N> prefix and stamps the time itself.
        Assert.Matches(JournaldLine(), daemon.Output);
        Assert.Contains($"butterfly: listening on {daemon.EndPoint}", daemon.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_NotUnderSystemd_LogsWithTimestampsAndListens()
    {
        var config = DaemonProcess.WriteConfig(_directory.Path);

        await using var daemon = await DaemonProcess.StartAsync(config);

        Assert.Matches(@"^127\.0\.0\.1:[1-9][0-9]*$", daemon.EndPoint);
        Assert.Equal(0, await daemon.StopAsync());
        Assert.Matches(ConsoleLine(), daemon.Output);
        Assert.DoesNotMatch(JournaldLine(), daemon.Output);
    }

    [Fact]
    public async Task Serve_LogLevelFromTheFile_Applies()
    {
        var config = DaemonProcess.WriteConfig(_directory.Path, configure: json =>
            json["logging"] = new System.Text.Json.Nodes.JsonObject
            {
                ["LogLevel"] = new System.Text.Json.Nodes.JsonObject { ["Default"] = "Information", ["Butterfly"] = "Warning" },
            });

        await using var daemon = await DaemonProcess.StartAsync(config);
        Assert.Equal(0, await daemon.StopAsync());

        // The process has exited, so its output is complete: the category's information lines were left out.
        Assert.Contains($"butterfly: listening on {daemon.EndPoint}", daemon.Output, StringComparison.Ordinal);
        Assert.DoesNotMatch(ConsoleLine(), daemon.Output);
    }

    /// <summary>
    /// Starts <c>dotnet butterfly.dll serve</c> as systemd would: as the child of a process named systemd (which
    /// is how .NET's systemd support tells it runs as a service), with NOTIFY_SOCKET set. The parent is
    /// timeout(1) with no time limit, through a link named <c>systemd</c>: it waits for its child and passes
    /// SIGTERM on, as systemd's stop does.
    /// </summary>
    private void UnderSystemd(ProcessStartInfo info, string socketPath)
    {
        var parent = _directory.Combine("systemd");
        File.CreateSymbolicLink(parent, "/usr/bin/timeout");
        info.ArgumentList.Insert(0, info.FileName);
        info.ArgumentList.Insert(0, "0");
        info.FileName = parent;
        info.Environment["NOTIFY_SOCKET"] = socketPath;
    }

    private static async Task<string> ReceiveAsync(Socket socket)
    {
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(Deadline);
        try
        {
            var length = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            return Encoding.UTF8.GetString(buffer, 0, length);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No notification on the socket within {Deadline.TotalSeconds} s.");
        }
    }

    [GeneratedRegex(@"(?m)^<6>Butterfly\[0\] Serving example\.org from ")]
    private static partial Regex JournaldLine();

    [GeneratedRegex(@"(?m)^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3} info: Butterfly\[0\] Serving example\.org from ")]
    private static partial Regex ConsoleLine();
}
