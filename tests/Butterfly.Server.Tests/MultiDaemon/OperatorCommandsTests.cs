using System.Text.Json;
using Butterfly.Client;
using Butterfly.TestUtilities;
using static Butterfly.Server.Tests.MultiDaemon.GroupClients;

namespace Butterfly.Server.Tests.MultiDaemon;

/// <summary>
/// "The operator's commands work against any daemon" (issue 17): three daemons on one database,
/// the <c>butterfly</c> CLI given each one's butterfly.json (so it speaks to that daemon's control
/// socket); what one command changes through one daemon, the others show and act on.
/// </summary>
[Collection(PostgresDaemonsCollection.Name)]
public sealed class OperatorCommandsTests(PrivatePostgres postgres)
{
    [Fact]
    public async Task UserAliasQuota_ChangedThroughOneDaemon_SeenAndObeyedByTheOthers()
    {
        using var directory = new TempDirectory("butterfly-three-daemons-cli");
        await using var group = await DaemonGroup.StartAsync(directory.Path, 3, postgres.CreateDatabase(), ["example.org"]);

        await group.AddUserAsync("carol@example.org", through: 0);
        await group.AddUserAsync("erin@example.org", through: 2);
        foreach (var daemon in Enumerable.Range(0, group.Count))
        {
            var users = JsonDocument.Parse((await CliAsync(group, daemon, "user", "list", "--json")).Stdout).RootElement;
            Assert.Equal(["carol@example.org", "erin@example.org"], users.EnumerateArray().Select(u => u.GetProperty("address").GetString()).Order());
        }

        // A password set through daemon 1 is the one daemon 2 checks.
        await CliWithInputAsync(group, 1, "new-password-456\n", "user", "passwd", "carol@example.org", "--password-stdin");
        await using (var carol = await LoginAsync(group[2], "carol@example.org", "new-password-456"))
        {
            await carol.LogoutAsync();
        }

        var refused = await Assert.ThrowsAsync<ButterflyException>(() => LoginAsync(group[0], "carol@example.org"));
        Assert.Equal(Butterfly.Protocol.Errors.ErrorCode.AuthFailed, refused.Error);

        // An alias added through daemon 2 delivers mail sent through daemon 0; a quota set through daemon 0 shows on daemon 1.
        await CliAsync(group, 2, "alias", "add", "team@example.org", "--to", "erin@example.org");
        await using (var carol = await LoginAsync(group[0], "carol@example.org", "new-password-456"))
        {
            var sent = await carol.SendAsync(new SendRequest { To = ["team@example.org"], Subject = "To the team", Text = "x" });
            Assert.Equal("delivered", Assert.Single(sent.Recipients).Status);
        }

        await using (var erin = await LoginAsync(group[1], "erin@example.org"))
        {
            Assert.Equal("To the team", Assert.Single((await erin.ListMessagesAsync()).Messages).Subject);
        }

        await CliAsync(group, 0, "quota", "set", "erin@example.org", "2K");
        var shown = JsonDocument.Parse((await CliAsync(group, 1, "quota", "show", "erin@example.org", "--json")).Stdout).RootElement;
        Assert.Equal((2048L, "account"), (shown.GetProperty("quota").GetInt64(), shown.GetProperty("setting").GetString()));

        // Every daemon lists the one queue (empty: nothing left for another domain).
        foreach (var daemon in Enumerable.Range(0, group.Count))
        {
            Assert.Equal(0, JsonDocument.Parse((await CliAsync(group, daemon, "queue", "list", "--json")).Stdout).RootElement.GetArrayLength());
        }

        // An account deleted through daemon 1 is gone for daemon 0 and daemon 2.
        await CliAsync(group, 1, "user", "del", "carol@example.org");
        foreach (var daemon in new[] { 0, 2 })
        {
            var users = JsonDocument.Parse((await CliAsync(group, daemon, "user", "list", "--json")).Stdout).RootElement;
            Assert.Equal(["erin@example.org"], users.EnumerateArray().Select(u => u.GetProperty("address").GetString()));
        }

        var gone = await Assert.ThrowsAsync<ButterflyException>(() => LoginAsync(group[2], "carol@example.org", "new-password-456"));
        Assert.Equal(Butterfly.Protocol.Errors.ErrorCode.AuthFailed, gone.Error);
    }

    /// <summary>Runs the CLI with daemon <paramref name="daemon"/>'s butterfly.json and asserts it succeeded.</summary>
    private static Task<CliResult> CliAsync(DaemonGroup group, int daemon, params string[] args) => CliWithInputAsync(group, daemon, null, args);

    private static async Task<CliResult> CliWithInputAsync(DaemonGroup group, int daemon, string? stdin, params string[] args)
    {
        var result = await CliProcess.RunAsync([.. args, "--config", group.ConfigOf(daemon)], stdin);
        Assert.True(result.ExitCode == 0, $"{string.Join(' ', args)} through daemon {daemon}: {result}");
        return result;
    }

    [Fact]
    public async Task Start_ThreeDaemonsAtOnceOnAnEmptyDatabase_AllServeOneMailbox()
    {
        using var directory = new TempDirectory("butterfly-three-daemons-together");
        await using var group = await DaemonGroup.StartAsync(
            directory.Path, 3, postgres.CreateDatabase(), ["example.org"], users: ["frank@example.org"], startTogether: true);

        await using (var frank = await LoginAsync(group[2], "frank@example.org"))
        {
            await frank.SendAsync(new SendRequest { To = ["frank@example.org"], Subject = "to myself", Text = "x" });
        }

        foreach (var daemon in group.Running)
        {
            await using var frank = await LoginAsync(daemon, "frank@example.org");
            Assert.Equal("to myself", Assert.Single((await frank.ListMessagesAsync()).Messages).Subject);
        }
    }
}
