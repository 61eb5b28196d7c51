using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Butterfly.Client;
using Butterfly.TestUtilities;
using Microsoft.Data.Sqlite;

namespace Butterfly.Server.Tests.Addresses;

/// <summary>
/// Aliases, catch-alls, subaddresses, lists, quotas and the account commands on one real daemon serving
/// two domains, through the client library and the <c>butterfly</c> executable.
/// </summary>
public sealed class AddressDeliveryTests : IAsyncLifetime
{
    private const string Password = "password-123";
    private static readonly string[] Users =
        ["alice@example.org", "bob@example.org", "carol@example.org", "dave@example.net", "erin@example.net"];

    private readonly TempDirectory _directory = new("butterfly-addresses");
    private string _config = string.Empty;
    private DaemonProcess _daemon = null!;

    public async Task InitializeAsync()
    {
        _config = DaemonProcess.WriteConfig(_directory.Path, ["example.org", "example.net"], c =>
        {
            c["registration"] = new JsonObject { ["open"] = true };
            c["addresses"] = new JsonObject { ["subaddressFolders"] = true };
            c["quota"] = new JsonObject { ["default"] = "1M" };
        });
        _daemon = await DaemonProcess.StartAsync(_config);
        foreach (var user in Users)
        {
            await using var client = await ButterflyClient.ConnectAsync(_daemon.EndPoint);
            await client.RegisterAsync(user, Password);
        }
    }

    public async Task DisposeAsync()
    {
        await _daemon.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task Send_AliasCatchAllAndSubaddress_EachDeliversAndCatchAllComesLast()
    {
        await Cli("alias", "add", "team@example.org", "--to", "alice@example.org", "--to", "bob@example.org");
        await Cli("alias", "add", "@example.net", "--to", "dave@example.net");
        var aliases = JsonDocument.Parse((await Cli("alias", "list", "--json")).Stdout).RootElement;
        Assert.Equal(["@example.net", "team@example.org"], aliases.EnumerateArray().Select(a => a.GetProperty("address").GetString()));
        Assert.Equal(["alice@example.org", "bob@example.org"], aliases[1].GetProperty("accounts").EnumerateArray().Select(a => a.GetString()));

        await using (var bob = await LoginAsync("bob@example.org"))
        {
            await bob.CreateFolderAsync("Work");
        }

        await using (var carol = await LoginAsync("carol@example.org"))
        {
            var team = await carol.SendAsync(new SendRequest { To = ["Team@example.org"], Subject = "to the team", Text = "Hello team." });
            Assert.Equal(("team@example.org", "delivered"), (Assert.Single(team.Recipients).Address, team.Recipients[0].Status));
            await carol.SendAsync(new SendRequest { To = ["whoever@example.net"], Subject = "to anyone", Text = "Caught?" });
            await carol.SendAsync(new SendRequest { To = ["erin@example.net"], Subject = "to erin", Text = "Yours, not the catch-all's." });
            await carol.SendAsync(new SendRequest { To = ["bob+work@example.org"], Subject = "tagged", Text = "Into Work." });
            await carol.SendAsync(new SendRequest { To = ["alice+nofolder@example.org"], Subject = "tag without folder", Text = "Into the Inbox." });
        }

        Assert.Equal(["tag without folder", "to the team"], await SubjectsAsync("alice@example.org"));
        Assert.Equal(["to the team"], await SubjectsAsync("bob@example.org"));
        Assert.Equal(["tagged"], await SubjectsAsync("bob@example.org", "Work"));
        Assert.Equal(["to anyone"], await SubjectsAsync("dave@example.net"));
        Assert.Equal(["to erin"], await SubjectsAsync("erin@example.net"));

        var dave = JsonDocument.Parse((await Cli(As("dave@example.net"), "account", "--json")).Stdout).RootElement;
        Assert.Equal(["@example.net"], dave.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()));

        await Cli("alias", "del", "team@example.org");
        await using var carolAgain = await LoginAsync("carol@example.org");
        var gone = await Assert.ThrowsAsync<ButterflyException>(() => carolAgain.SendAsync(new SendRequest { To = ["team@example.org"], Subject = "x", Text = "x" }));
        Assert.Equal("recipient.unknown", gone.Code);
    }

    [Fact]
    public async Task Send_OverQuota_RefusedAtOnceAndNothingStored()
    {
        var fresh = JsonDocument.Parse((await Cli(As("carol@example.org"), "account", "--json")).Stdout).RootElement;
        Assert.Equal((0L, 1L << 20), (fresh.GetProperty("usage").GetInt64(), fresh.GetProperty("quota").GetInt64()));

        await Cli("quota", "set", "carol@example.org", "2K");
        var shown = JsonDocument.Parse((await Cli("quota", "show", "carol@example.org", "--json")).Stdout).RootElement;
        Assert.Equal((2048L, "account"), (shown.GetProperty("quota").GetInt64(), shown.GetProperty("setting").GetString()));
        Assert.Contains("carol@example.org: 0 B of 2 KiB (0%), account", (await Cli("quota", "show", "carol@example.org")).Stdout, StringComparison.Ordinal);

        await using var alice = await LoginAsync("alice@example.org");
        await alice.SendAsync(new SendRequest { To = ["carol@example.org"], Subject = "small", Text = "fits" });
        var refused = await Assert.ThrowsAsync<ButterflyException>(
            () => alice.SendAsync(new SendRequest { To = ["carol@example.org", "bob@example.org"], Subject = "large", Text = new string('x', 3000) }));
        Assert.Equal("quota.exceeded", refused.Code);
        Assert.Contains("carol@example.org", refused.Message, StringComparison.Ordinal);

        // Refused whole: no copy for bob, none in Sent.
        Assert.Equal(["small"], await SubjectsAsync("carol@example.org"));
        Assert.Empty(await SubjectsAsync("bob@example.org"));
        Assert.Equal(["small"], await SubjectsAsync("alice@example.org", "Sent"));
        await using (var carol = await LoginAsync("carol@example.org"))
        {
            var account = await carol.GetAccountAsync();
            Assert.Equal(2048L, account.Quota);
            Assert.InRange(account.Usage, 1, 2048);
        }

        await Cli("quota", "set", "carol@example.org", "none");
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse((await Cli("quota", "show", "carol@example.org", "--json")).Stdout).RootElement.GetProperty("quota").ValueKind);
        await alice.SendAsync(new SendRequest { To = ["carol@example.org"], Subject = "large", Text = new string('x', 3000) });
        Assert.Equal(["large", "small"], await SubjectsAsync("carol@example.org"));

        var bad = await CliProcess.RunAsync(["quota", "set", "carol@example.org", "lots", "--config", _config]);
        Assert.Equal(2, bad.ExitCode);
        var unknown = await CliProcess.RunAsync(["quota", "show", "nobody@example.org", "--config", _config]);
        Assert.Contains("account.not-found", unknown.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_CrossingNinetyPercentOfQuota_DaemonNotesItAndSubscribersGetAQuotaEvent()
    {
        await Cli("quota", "set", "bob@example.org", "10K");
        await using var watcher = await LoginAsync("bob@example.org");
        await watcher.SubscribeAsync(["quota"]);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var events = watcher.ReadEventsAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        await using var alice = await LoginAsync("alice@example.org");
        await alice.SendAsync(new SendRequest { To = ["bob@example.org"], Subject = "nearly full", Text = new string('x', 9300) });

        Assert.True(await events.MoveNextAsync());
        Assert.Equal(("quota", "warning", 10240L), (events.Current.Event, events.Current.Level, events.Current.Limit!.Value));
        Assert.InRange(events.Current.Used!.Value, 10240 * 9 / 10, 10240);

        // The next message does not fit: refused, and the subscriber hears that the mailbox is full.
        var refused = await Assert.ThrowsAsync<ButterflyException>(
            () => alice.SendAsync(new SendRequest { To = ["bob@example.org"], Subject = "too much", Text = new string('y', 2000) }));
        Assert.Equal("quota.exceeded", refused.Code);
        Assert.True(await events.MoveNextAsync());
        Assert.Equal(("quota", "exceeded"), (events.Current.Event, events.Current.Level));

        await Eventually.TrueAsync(
            () => _daemon.Output.Contains("bob@example.org is over 90% of its storage quota", StringComparison.Ordinal),
            "the daemon logs the 90% crossing");
        await using var bob = await LoginAsync("bob@example.org");
        var account = await bob.GetAccountAsync();
        Assert.InRange(account.Usage, 10240 * 9 / 10, 10240);
    }

    [Fact]
    public async Task Passwd_CliChangesPassword_OldOneStopsWorking()
    {
        var environment = new Dictionary<string, string> { ["BUTTERFLY_SERVER"] = _daemon.EndPoint, ["BUTTERFLY_USER"] = "erin@example.net" };
        var changed = await CliProcess.RunAsync(["passwd", "--password-stdin", "--new-password-stdin"], $"{Password}\nnew-password-456\n", environment);
        Assert.True(changed.ExitCode == 0, changed.ToString());
        Assert.Contains("password changed for erin@example.net", changed.Stdout, StringComparison.Ordinal);

        await using var client = await ButterflyClient.ConnectAsync(_daemon.EndPoint);
        var old = await Assert.ThrowsAsync<ButterflyException>(() => client.LoginAsync("erin@example.net", Password));
        Assert.Equal("auth.failed", old.Code);
        await client.LoginAsync("erin@example.net", "new-password-456");

        // Through the library: the current password is required, and a short new one is refused.
        var wrong = await Assert.ThrowsAsync<ButterflyException>(() => client.ChangePasswordAsync("not-the-password", "another-password"));
        Assert.Equal("auth.failed", wrong.Code);
        var weak = await Assert.ThrowsAsync<ButterflyException>(() => client.ChangePasswordAsync("new-password-456", "short"));
        Assert.Equal("account.weak-password", weak.Code);
        await client.ChangePasswordAsync("new-password-456", "third-password-789");
        await using var again = await ButterflyClient.ConnectAsync(_daemon.EndPoint);
        await again.LoginAsync("erin@example.net", "third-password-789");
    }

    [Fact]
    public async Task MailingList_MembersOnly_NonMemberRefusedMembersGetOneStoredContent()
    {
        var created = JsonDocument.Parse((await Cli("mailing-list", "create", "club@example.org", "--owner", "alice@example.org", "--json")).Stdout).RootElement;
        Assert.Equal(("alice@example.org", "members"), (created.GetProperty("owner").GetString(), created.GetProperty("policy").GetString()));
        await Cli("mailing-list", "add", "club@example.org", "bob@example.org");
        await Cli("mailing-list", "add", "club@example.org", "erin@example.net");

        // The owner manages the list over the protocol; someone else cannot even see it.
        await using (var alice = await LoginAsync("alice@example.org"))
        {
            var list = await alice.AddListMemberAsync("club@example.org", "alice@example.org");
            Assert.Equal(["alice@example.org", "bob@example.org", "erin@example.net"], list.Members);
        }

        await using (var bob = await LoginAsync("bob@example.org"))
        {
            var notOwner = await Assert.ThrowsAsync<ButterflyException>(() => bob.GetMailingListAsync("club@example.org"));
            Assert.Equal("list.not-found", notOwner.Code);
        }

        var owned = await Cli(As("alice@example.org"), "mailing-list", "show", "club@example.org", "--as-owner", "--json");
        Assert.Equal(3, JsonDocument.Parse(owned.Stdout).RootElement.GetProperty("members").GetArrayLength());

        await using (var dave = await LoginAsync("dave@example.net"))
        {
            var denied = await Assert.ThrowsAsync<ButterflyException>(() => dave.SendAsync(new SendRequest { To = ["club@example.org"], Subject = "spam", Text = "buy" }));
            Assert.Equal("list.post-denied", denied.Code);
        }

        await using (var bob = await LoginAsync("bob@example.org"))
        {
            var post = await bob.SendAsync(new SendRequest { To = ["club@example.org"], Subject = "meeting", Text = "Thursday at eight." });
            Assert.Equal(("club@example.org", "delivered"), (Assert.Single(post.Recipients).Address, post.Recipients[0].Status));
        }

        foreach (var member in new[] { "alice@example.org", "bob@example.org", "erin@example.net" })
        {
            await Eventually.TrueAsync(async () => (await SubjectsAsync(member)).Contains("meeting"), $"{member} has the post");
        }

        await using (var erin = await LoginAsync("erin@example.net"))
        {
            var item = Assert.Single((await erin.ListMessagesAsync("Inbox")).Messages);
            var text = Encoding.UTF8.GetString((await erin.FetchAsync("Inbox", item.Id)).Content);
            Assert.Contains("List-Id: <club.example.org>", text, StringComparison.Ordinal);
            Assert.Contains("List-Post: <mailto:club@example.org>", text, StringComparison.Ordinal);
            Assert.Contains("List-Unsubscribe: <mailto:alice@example.org?subject=unsubscribe%20club@example.org>", text, StringComparison.Ordinal);
        }

        // The three members' copies share one stored content (bob's Sent copy, without the list fields, is another).
        Assert.Equal(1L, Scalar("SELECT COUNT(*) FROM contents WHERE subject = 'meeting' AND instr(CAST(data AS TEXT), 'List-Id:') > 0"));
        Assert.Equal(3L, Scalar("""
            SELECT COUNT(*) FROM messages m JOIN contents c ON c.id = m.content_id
            WHERE c.subject = 'meeting' AND instr(CAST(c.data AS TEXT), 'List-Id:') > 0
            """));

        await Cli("mailing-list", "delete", "club@example.org");
        var deleted = await CliProcess.RunAsync(["mailing-list", "show", "club@example.org", "--config", _config]);
        Assert.Contains("list.not-found", deleted.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AliasAdd_AddressOfAnAccountOrForeignDomain_Refused()
    {
        var taken = await CliProcess.RunAsync(["alias", "add", "bob@example.org", "--to", "alice@example.org", "--config", _config]);
        Assert.Equal(1, taken.ExitCode);
        Assert.Contains("address.taken", taken.Stderr, StringComparison.Ordinal);
        var foreign = await CliProcess.RunAsync(["alias", "add", "x@elsewhere.example", "--to", "alice@example.org", "--config", _config]);
        Assert.Contains("account.invalid-address", foreign.Stderr, StringComparison.Ordinal);
        var noAccount = await CliProcess.RunAsync(["alias", "add", "x@example.org", "--to", "nobody@example.org", "--config", _config]);
        Assert.Contains("account.not-found", noAccount.Stderr, StringComparison.Ordinal);
        var missing = await CliProcess.RunAsync(["alias", "del", "x@example.org", "--config", _config]);
        Assert.Contains("alias.not-found", missing.Stderr, StringComparison.Ordinal);

        // Nor may an account take an alias's address afterwards.
        await Cli("alias", "add", "info@example.org", "--to", "alice@example.org");
        var account = await CliProcess.RunAsync(["user", "add", "info@example.org", "--password-stdin", "--config", _config], "long-password\n");
        Assert.Equal(1, account.ExitCode);
        Assert.Contains("address.taken", account.Stderr, StringComparison.Ordinal);
    }

    private long Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory.Path, "data", "butterfly.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<ButterflyClient> LoginAsync(string user)
    {
        var client = await ButterflyClient.ConnectAsync(_daemon.EndPoint);
        await client.LoginAsync(user, Password);
        return client;
    }

    private async Task<List<string>> SubjectsAsync(string user, string folder = "Inbox")
    {
        await using var client = await LoginAsync(user);
        return [.. (await client.ListMessagesAsync(folder)).Messages.Select(m => m.Subject ?? string.Empty).Order(StringComparer.Ordinal)];
    }

    private Dictionary<string, string> As(string user) => new()
    {
        ["BUTTERFLY_SERVER"] = _daemon.EndPoint,
        ["BUTTERFLY_USER"] = user,
        ["BUTTERFLY_PASSWORD"] = Password,
    };

    private Task<CliResult> Cli(params string[] args) => Cli(null, args);

    private async Task<CliResult> Cli(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        string[] full = environment is null ? [.. args, "--config", _config] : args;
        var result = await CliProcess.RunAsync(full, environment: environment);
        Assert.True(result.ExitCode == 0, $"butterfly {string.Join(' ', full)}: {result}");
        return result;
    }
}
