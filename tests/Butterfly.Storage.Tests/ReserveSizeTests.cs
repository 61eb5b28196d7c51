using Butterfly.TestUtilities;
using Xunit.Abstractions;

namespace Butterfly.Storage.Tests;

/// <summary>
/// What SQLite needs on disk to commit what a user does to make room, measured: the WAL is truncated
/// to nothing, the operation runs, and the WAL's length is then exactly the frames it wrote. The
/// default reserve must hold the largest of them many times over. The figures are printed
/// (<c>dotnet test -c Release --filter ReserveSizeTests --logger "console;verbosity=detailed"</c>).
/// </summary>
public sealed class ReserveSizeTests(ITestOutputHelper output)
{
    private const int Messages = 1000;
    private const int MessageBytes = 10 * 1024;

    [Fact]
    public async Task FreeingWrites_ThousandMessagesEach_NeedLessThanAQuarterOfTheDefaultReserve()
    {
        using var directory = new TempDirectory("butterfly-reserve-size");
        var options = new StoreOptions { DataDirectory = directory.Path, PasswordCost = 4, AllowWeakPasswordHashingForTests = true };
        var figures = new List<(string What, long Bytes)>();
        await using (var store = await MailStore.OpenAsync(options))
        {
            var account = (await store.Accounts.CreateAsync("alice@example.org", "secret")).Value!.Id;
            await store.Folders.CreateAsync(account, "Archive");
            await store.Folders.CreateAsync(account, "Old");
            var inbox = await FillAsync(store, account, "Inbox");
            var old = await FillAsync(store, account, "Old");

            async Task Measure(string what, Func<Task<bool>> operation)
            {
                await Eventually.TrueAsync(() => SqliteFiles.TruncateWal(options.DatabasePath), "the WAL is copied and truncated");
                Assert.True(await operation(), what);
                figures.Add((what, new FileInfo(options.DatabasePath + "-wal").Length));
            }

            await Measure("flag 1,000 messages", async () => (await store.Messages.ChangeFlagsAsync(account, "Inbox", inbox, MessageFlags.Seen, 0)).Ok);
            var moved = new List<long>();
            await Measure("move 1,000 messages", async () =>
            {
                var result = await store.Messages.MoveAsync(account, "Inbox", inbox, "Archive");
                moved.AddRange(result.Value?.Ids.Values ?? []);
                return result.Ok;
            });
            var trashed = new List<long>();
            await Measure("delete 1,000 messages to Trash", async () =>
            {
                var result = await store.Messages.DeleteAsync(account, "Archive", moved);
                trashed.AddRange(result.Value?.Trashed.Values ?? []);
                return result.Ok;
            });
            await Measure("delete 1,000 messages from Trash (their 10 MB freed)", async () => (await store.Messages.DeleteAsync(account, "Trash", trashed)).Ok);
            await Measure("delete a folder of 1,000 messages", async () => (await store.Folders.DeleteAsync(account, "Old", recursive: true)).Ok);
        }

        foreach (var (what, bytes) in figures)
        {
            output.WriteLine($"{what}: {bytes:N0} bytes of WAL ({bytes / 4120.0:N0} pages)");
        }

        var defaultReserve = new StoreOptions { DataDirectory = directory.Path }.ReserveBytes;
        Assert.All(figures, f => Assert.True(f.Bytes < defaultReserve / 4, $"{f.What} needs {f.Bytes} bytes; the default reserve is {defaultReserve}."));
    }

    private static async Task<List<long>> FillAsync(MailStore store, long account, string folder)
    {
        var appends = Enumerable.Range(0, Messages).Select(i =>
            store.Messages.AppendAsync(account, folder, TestMessages.Bytes($"{folder} {i}", MessageBytes), TestMessages.Summary($"{folder} {i}"), 0, TestMessages.Received));
        return [.. (await Task.WhenAll(appends)).Select(r => r.Value!.Id)];
    }
}
