using System.Globalization;
using System.Text.Json;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Search;

/// <summary><c>butterfly search</c>, <c>thread</c> and <c>list --threads</c>: the real executable against the real daemon.</summary>
public sealed class SearchCliTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new("butterfly-search-cli");
    private string _config = string.Empty;
    private DaemonProcess _daemon = null!;

    public async Task InitializeAsync()
    {
        _config = DaemonProcess.WriteConfig(_directory.Path, ["example.org"]);
        _daemon = await DaemonProcess.StartAsync(_config);
    }

    public async Task DisposeAsync()
    {
        await _daemon.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task SearchThreadAndListThreads_RealProcess_FindAndGroup()
    {
        await Ok(["user", "add", "alice@example.org", "--password-stdin", "--config", _config], stdin: "alice-password\n");
        await Ok(["user", "add", "bob@example.org", "--password-stdin", "--config", _config], stdin: "bob-password\n");
        var alice = As("alice@example.org", "alice-password");
        var bob = As("bob@example.org", "bob-password");
        await Ok(["send", "--to", "bob@example.org", "--subject", "Lunch?", "--body", "Noon at the café downstairs?"], alice);
        await Ok(["send", "--to", "alice@example.org", "--subject", "Re: Lunch?", "--body", "Yes, noon."], bob);
        await Ok(["send", "--to", "bob@example.org", "--subject", "Minutes", "--body", "Budget approved."], alice);

        var json = JsonDocument.Parse((await Ok(["search", "from:alice", "café", "--json"], bob)).Stdout).RootElement;
        var hit = Assert.Single(json.GetProperty("messages").EnumerateArray());
        Assert.Equal("Lunch?", hit.GetProperty("subject").GetString());
        Assert.Equal("Inbox", hit.GetProperty("folder").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("next").ValueKind);

        var table = (await Ok(["search", "\"budget approved\""], bob)).Stdout;
        Assert.Contains("Minutes", table, StringComparison.Ordinal);
        Assert.Contains("1 match", table, StringComparison.Ordinal);
        Assert.Empty(Messages((await Ok(["search", "noon", "--folder", "Trash", "--json"], bob)).Stdout));

        var id = hit.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture);
        var thread = Messages((await Ok(["thread", id, "--json"], bob)).Stdout).ToList();
        Assert.Equal(["Lunch?", "Re: Lunch?"], thread.Select(m => m.GetProperty("subject").GetString()));
        Assert.Equal(["Inbox", "Sent"], thread.Select(m => m.GetProperty("folder").GetString()));

        var threads = JsonDocument.Parse((await Ok(["list", "--threads", "--json"], bob)).Stdout).RootElement.GetProperty("threads").EnumerateArray().ToList();
        Assert.Equal(["Minutes", "Lunch?"], threads.Select(t => t.GetProperty("latest").GetProperty("subject").GetString()));
        Assert.Contains("2 threads in Inbox", (await Ok(["list", "--threads"], bob)).Stdout, StringComparison.Ordinal);

        var refused = await CliProcess.RunAsync(["search", "is:sometimes"], environment: bob);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("search.bad-query", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("is:sometimes", refused.Stderr, StringComparison.Ordinal);
    }

    private static IEnumerable<JsonElement> Messages(string json) =>
        JsonDocument.Parse(json).RootElement.GetProperty("messages").EnumerateArray();

    private static async Task<CliResult> Ok(string[] args, IReadOnlyDictionary<string, string>? environment = null, string? stdin = null)
    {
        var result = await CliProcess.RunAsync(args, stdin, environment);
        Assert.True(result.ExitCode == 0, $"butterfly {string.Join(' ', args)}: {result}");
        return result;
    }

    private Dictionary<string, string> As(string user, string password) => new()
    {
        ["BUTTERFLY_SERVER"] = _daemon.EndPoint,
        ["BUTTERFLY_USER"] = user,
        ["BUTTERFLY_PASSWORD"] = password,
    };
}
