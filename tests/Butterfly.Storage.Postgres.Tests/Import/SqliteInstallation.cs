using System.Text;
using System.Text.Json;
using Butterfly.Storage.Tests;
using Butterfly.TestUtilities;

namespace Butterfly.Storage.Postgres.Tests.Import;

/// <summary>
/// A data folder with a SQLite store holding something of every table, filled through the store's public API:
/// accounts (one deleted, so its id is one SQLite will never hand out again), folders created, renamed and
/// deleted, messages delivered, appended, flagged, moved and deleted, binary and non-ASCII contents, queue entries
/// (one sharing a message's bytes, one of bytes only the queue holds), a peer record, a submission, an alias, a
/// list, a quota, a script with state and a run, a session token. <see cref="SnapshotAsync"/> reads all of it back
/// through the public API of either store, as JSON, so two stores can be compared.
/// </summary>
internal sealed class SqliteInstallation : IDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 11, 29, 8, 0, 0, TimeSpan.Zero);

    public static readonly byte[] TokenHash = [.. Enumerable.Range(0, 32).Select(i => (byte)(i * 7))];

    private static readonly string[] Addresses = ["alice@example.org", "bob@example.org", "carol@example.org", "dörte@example.org"];

    private readonly TempDirectory _folder = new("butterfly-migrate");

    public string DataDirectory => _folder.Combine("data");

    public string DatabasePath => Path.Combine(DataDirectory, "butterfly.db");

    public StoreOptions StoreOptions => new() { DataDirectory = DataDirectory, PasswordCost = 4, AllowWeakPasswordHashingForTests = true, PasswordHashWorkers = 2 };

    /// <summary>Fills the store; returns the snapshot of what it then holds.</summary>
    public async Task<string> FillAsync()
    {
        await using var store = await MailStore.OpenAsync(StoreOptions);
        var s = new StoreUnderTest(store.Accounts, store.Folders, store.Messages, store.Deliveries, store.Quotas, store.Submissions, store.PeerRecords, store.Queue, store.Changes, store.Aliases, store.Lists, store.Scripts, store.SessionTokens, store.Search);
        var ids = new List<long>();
        foreach (var address in Addresses)
        {
            ids.Add(Ok(await s.Accounts.CreateAsync(address, "secret-" + address)).Id);
        }

        Ok(await s.Accounts.DeleteAsync("carol@example.org"));
        var (alice, bob) = (ids[0], ids[1]);
        Ok(await s.Folders.CreateAsync(alice, "Archive/2025"));
        Ok(await s.Folders.CreateAsync(alice, "Entwürfe"));
        Ok(await s.Folders.CreateAsync(alice, "Old"));
        Ok(await s.Folders.RenameAsync(alice, "Old", "Renamed"));
        Ok(await s.Folders.CreateAsync(bob, "Gone"));
        Ok(await s.Folders.DeleteAsync(bob, "Gone", recursive: false));

        // Two deliveries to both: one stays in the queue too (the same bytes, one content row).
        var shared = TestMessages.Bytes("Shared ✓ 日本語");
        await s.DeliverAsync(new DeliveryCommit(TestMessages.Received)
        {
            Copies = [new ContentCopies(shared, TestMessages.Summary("Shared ✓ 日本語"), [new(alice, "Inbox", MessageFlags.None), new(bob, "Inbox", MessageFlags.Seen)])],
            Enqueue = [Queued("q-1", "example.net", shared), Queued("q-2", "example.com", Encoding.UTF8.GetBytes("Subject: queue only\r\n\r\nbody\r\n"))],
            Record = new ReceivedRecord("peer.example", "delivery-1", "stored"),
        });
        for (var i = 0; i < 5; i++)
        {
            await s.DeliverAsync(TestMessages.Delivery($"Letter {i}", new DeliveryTarget(alice, "Inbox", MessageFlags.None)));
        }

        // Every byte value, and a larger content.
        byte[] binary = [.. Encoding.ASCII.GetBytes("Subject: binary\r\n\r\n"), .. Enumerable.Range(0, 256).Select(b => (byte)b)];
        Ok(await s.Messages.AppendAsync(alice, "Archive/2025", binary, TestMessages.Summary("binary"), MessageFlags.Seen | MessageFlags.Flagged, TestMessages.Received));
        Ok(await s.Messages.AppendAsync(alice, "Entwürfe", TestMessages.Bytes("big", padding: 300_000), TestMessages.Summary("big"), MessageFlags.None, TestMessages.Received));
        Ok(await s.Messages.AppendAsync(bob, "Inbox", TestMessages.Bytes("submitted"), TestMessages.Summary("submitted"), MessageFlags.Seen, TestMessages.Received, new SubmissionRecord(bob, "sub-1", "ok")));

        var inbox = Ok(await s.Messages.ListAsync(alice, "Inbox", null, 100)).Messages.Select(m => m.Id).Order().ToList();
        Ok(await s.Messages.ChangeFlagsAsync(alice, "Inbox", [inbox[1], inbox[2]], MessageFlags.Seen | MessageFlags.Flagged, MessageFlags.None));
        Ok(await s.Messages.MoveAsync(alice, "Inbox", [inbox[3]], "Renamed"));
        Ok(await s.Messages.DeleteAsync(alice, "Inbox", [inbox[4]]));

        Ok(await s.Aliases.AddAsync("info@example.org", ["alice@example.org", "bob@example.org"]));
        Ok(await s.Lists.CreateAsync("team@example.org", "alice@example.org", ListPolicy.Members));
        Ok(await s.Lists.AddMemberAsync("team@example.org", "bob@example.org"));
        Ok(await s.Lists.AddMemberAsync("team@example.org", "someone@example.net"));
        Ok(await s.Quotas.SetAsync("bob@example.org", QuotaSetting.Account, 5_000_000));
        Ok(await s.Quotas.SetAsync("dörte@example.org", QuotaSetting.Unlimited));

        Ok(await s.Scripts.AllowAsync("bot@example.org", "alice@example.org"));
        Ok(await s.Scripts.PutAsync("bot@example.org", null, "export default { mail() {} }", "hash-1", "0 * * * *", Now.AddHours(1)));
        Ok(await s.Scripts.SetStateAsync("bot@example.org", null, """{"seen":3}"""));
        await s.Scripts.RecordRunAsync(
            new ScriptRun(0, "bot@example.org", Now, "mail", "ok", true, 1, "delivery-1", "alice@example.org", "<m@x>", "[]", null, "log line", 42, 1234),
            keep: 100);

        await s.SessionTokens.CreateAsync(alice, TokenHash, Now, Now.AddDays(7));
        var queued = await s.Queue.ListAsync();
        Assert.True(await s.Queue.UpdateAsync(new QueueUpdate(queued[0].Id, null, Now.AddMinutes(5), 2, "451 try later", DelayNotified: true)));
        return await SnapshotAsync(s, Addresses.Where(a => a != "carol@example.org").ToList());
    }

    /// <summary>Everything a store shows of the installation, through its public API, as JSON lines.</summary>
    public static async Task<string> SnapshotAsync(StoreUnderTest s, IReadOnlyList<string>? addresses = null)
    {
        var lines = new List<string>();
        void Add(string what, object? value) => lines.Add(what + ": " + JsonSerializer.Serialize(value));

        var accounts = await s.Accounts.ListAsync();
        Add("accounts", accounts);
        foreach (var account in accounts)
        {
            Add($"{account.Address} quota", await s.Quotas.GetAsync(account.Id));
            Add($"{account.Address} send-as", await s.Accounts.SendAsAsync(account.Id));
            Add($"{account.Address} state", await s.Changes.StateAsync(account.Id));
            Add($"{account.Address} lists", await s.Lists.OwnedByAsync(account.Id));
            var folders = await s.Folders.ListAsync(account.Id);
            Add($"{account.Address} folders", folders);
            foreach (var folder in folders)
            {
                var page = Ok(await s.Messages.ListAsync(account.Id, folder.Name, null, 1000));
                Add($"{account.Address} {folder.Name}", page);
                foreach (var item in page.Messages)
                {
                    Add($"{account.Address} {folder.Name} {item.Id}", Ok(await s.Messages.FetchAsync(account.Id, folder.Name, item.Id)));
                }
            }

            // Changes since the floor: folder journal, moves and removals.
            var since = await s.Changes.SinceAsync(account.Id, 0, null, 1000);
            Add($"{account.Address} changes", since.Ok ? since.Value : since.Error);
        }

        var queue = await s.Queue.ListAsync();
        Add("queue", queue);
        foreach (var entry in queue)
        {
            Add($"queue {entry.Id}", await s.Queue.ReadContentAsync(entry.Id));
        }

        Add("peer record", await s.PeerRecords.FindAsync("peer.example", "delivery-1"));
        Add("submission", accounts.Count > 1 ? await s.Submissions.FindAsync(accounts[1].Id, "sub-1") : null);
        Add("aliases", await s.Aliases.ListAsync());
        Add("list", await s.Lists.FindAsync("team@example.org"));
        Add("scripts", await s.Scripts.ListAsync());
        Add("script", await s.Scripts.GetAsync("bot@example.org"));
        Add("script runs", await s.Scripts.LatestRunsAsync("bot@example.org", 10));
        Add("next schedule", await s.Scripts.NextScheduleAsync());
        Add("token", await s.SessionTokens.FindAsync(TokenHash, Now));
        foreach (var address in addresses ?? [])
        {
            Add($"login {address}", (await s.Accounts.AuthenticateAsync(address, "secret-" + address)).Value?.Id);
        }

        return string.Join('\n', lines);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    private static QueueEntry Queued(string id, string domain, byte[] content) =>
        new(QueueKind.Outbound, id, domain, "alice@example.org", null, ["someone@" + domain], 1, Now, content);

    private static T Ok<T>(StoreResult<T> result)
    {
        Assert.True(result.Ok, result.Detail);
        return result.Value!;
    }
}
