using Butterfly.Client;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Search;

/// <summary>
/// A data folder from before the search index (TestData/upgrade-schema-3) opened by this build: the
/// daemon serves at once and indexes the old mail in the background, saying so in its log; then the
/// old mail is found and threaded like new mail.
/// </summary>
public sealed class SearchUpgradeTests
{
    [Fact]
    public async Task OldDataFolder_IndexedInTheBackground_FoundAndThreaded()
    {
        using var directory = new TempDirectory("butterfly-search-upgrade");
        var data = Path.Combine(directory.Path, "data");
        Directory.CreateDirectory(data);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "TestData", "upgrade-schema-3", "butterfly.db"), Path.Combine(data, "butterfly.db"));
        var config = DaemonProcess.WriteConfig(directory.Path, ["a.example"]);
        await using var daemon = await DaemonProcess.StartAsync(config);

        await Eventually.TrueAsync(() => daemon.Output.Contains("Search index: all", StringComparison.Ordinal), "the old mail is indexed");
        Assert.Contains("messages stored before the index are being indexed in the background", daemon.Output, StringComparison.Ordinal);

        await using var bob = await ButterflyClient.ConnectAsync(daemon.EndPoint);
        await bob.LoginAsync("bob@a.example", "bob-password");
        Assert.Equal("Rapport été", Assert.Single((await bob.SearchAsync("rapport")).Messages).Subject);
        Assert.Equal("Rapport été", Assert.Single((await bob.SearchAsync("has:attachment")).Messages).Subject);
        Assert.Equal("Rapport été", Assert.Single((await bob.SearchAsync("data.bin")).Messages).Subject);
        var lunch = Assert.Single((await bob.SearchAsync("café")).Messages);
        Assert.Equal(("Archive/2026", "Lunch?"), (lunch.Folder, lunch.Subject));

        // Bob's reply (sent without In-Reply-To) joins the original by its subject.
        var thread = await bob.GetThreadAsync(lunch.Folder, lunch.Id);
        Assert.Equal(["Lunch?", "Re: Lunch?"], thread.Select(m => m.Subject));
    }
}
