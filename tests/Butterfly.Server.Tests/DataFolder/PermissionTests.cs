using System.Diagnostics;
using System.Runtime.Versioning;
using Butterfly.Client;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.DataFolder;

/// <summary>
/// The data folder is its owner's only, whatever the umask the daemon starts under: the folder 0700,
/// every file in it (database, -wal, -shm, lock, dialback secret, reserve, control socket) 0600.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class PermissionTests : IDisposable
{
    private const UnixFileMode GroupAndOthers = (UnixFileMode)0x3F;

    private readonly TempDirectory _directory = new("bf-modes");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Serve_UnderUmask022_FolderIs0700AndEveryFile0600()
    {
        var config = DaemonProcess.WriteConfig(_directory.Path, configure: c => c["registration"] = new System.Text.Json.Nodes.JsonObject { ["open"] = true });
        var data = _directory.Combine("data");
        await using var daemon = await DaemonProcess.StartAsync(config, Umask022);
        await SendOneAsync(daemon);

        // While it runs: the -wal and -shm files exist.
        Assert.True(File.Exists(Path.Combine(data, "butterfly.db-wal")));
        AssertPrivate(data, ["butterfly.db", "butterfly.db-wal", "butterfly.db-shm", "butterfly.lock", "dialback.secret", "butterfly.reserve", "control.sock"]);
        Assert.Equal(0, await daemon.StopAsync());
    }

    [Fact]
    public async Task Serve_FolderLeftOpenByAnOlderBuild_TightenedAtStartAndLogged()
    {
        var config = DaemonProcess.WriteConfig(_directory.Path, configure: c => c["registration"] = new System.Text.Json.Nodes.JsonObject { ["open"] = true });
        var data = _directory.Combine("data");
        await using (var first = await DaemonProcess.StartAsync(config, Umask022))
        {
            await SendOneAsync(first);
            Assert.Equal(0, await first.StopAsync());
        }

        // As an older build left it: everything readable by every local user.
        File.SetUnixFileMode(data, (UnixFileMode)0x1ED);
        foreach (var file in Directory.EnumerateFiles(data))
        {
            File.SetUnixFileMode(file, (UnixFileMode)0x1A4);
        }

        await using var daemon = await DaemonProcess.StartAsync(config, Umask022);

        AssertPrivate(data, ["butterfly.db", "butterfly.lock", "dialback.secret"]);

        // The console logger writes on its own thread: the line may follow "listening".
        await Eventually.TrueAsync(() => daemon.Output.Contains("Tightened the permissions of the data folder", StringComparison.Ordinal), "the tightening is logged");
        Assert.Contains("butterfly.db 0644 → 0600", daemon.Output, StringComparison.Ordinal);
        Assert.Equal(0, await daemon.StopAsync());
    }

    /// <summary>Runs the daemon through <c>sh -c 'umask 022; exec …'</c>: the umask most systems give a service.</summary>
    internal static void Umask022(ProcessStartInfo info)
    {
        var program = info.FileName;
        var args = info.ArgumentList.ToArray();
        info.FileName = "/bin/sh";
        info.ArgumentList.Clear();
        foreach (var arg in (string[])["-c", "umask 022 && exec \"$0\" \"$@\"", program, .. args])
        {
            info.ArgumentList.Add(arg);
        }
    }

    private static async Task SendOneAsync(DaemonProcess daemon)
    {
        await using var alice = await ButterflyClient.ConnectAsync(daemon.EndPoint);
        await alice.RegisterAsync("alice@example.org", "alice-password");
        await alice.SendAsync(new SendRequest { To = ["alice@example.org"], Subject = "modes", Text = "Who may read this?" });
    }

    private static void AssertPrivate(string data, string[] expected)
    {
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(data));
        var names = Directory.EnumerateFileSystemEntries(data).Select(Path.GetFileName).ToHashSet();
        foreach (var name in expected)
        {
            Assert.Contains(name, names);
        }

        foreach (var entry in Directory.EnumerateFileSystemEntries(data, "*", SearchOption.AllDirectories))
        {
            var mode = File.GetUnixFileMode(entry);
            Assert.True((mode & GroupAndOthers) == 0, $"{entry} has mode {Convert.ToString((int)mode, 8)}: readable or writable beyond its owner.");
        }
    }
}
