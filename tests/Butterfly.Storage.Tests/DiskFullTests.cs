using Butterfly.Storage.Internal;
using Butterfly.TestUtilities;
using Microsoft.Data.Sqlite;

namespace Butterfly.Storage.Tests;

/// <summary>
/// A full disk, for real: the store on a tmpfs of a few MiB, filled to the last byte. New mail is
/// refused as <see cref="StoreError.StorageFull"/> (never a bare SQLite error), flag changes, moves,
/// deletes and folder deletions still commit, and new mail is taken again once there is room.
/// </summary>
public sealed class DiskFullTests
{
    private const int MessageBytes = 256 * 1024;

    [Fact]
    public async Task Writes_DiskFilledToTheLastByte_NewMailStorageFullAndDeletesCommitThenMailResumes()
    {
        using var directory = new TempDirectory("butterfly-disk-full");
        using var disk = SmallDisk.Mount(directory.Combine("disk"), 16L << 20);
        var options = Options(disk, reserveBytes: 1L << 20);
        var reserve = Path.Combine(options.DataDirectory, DiskSpace.ReserveFileName);
        var account = 0L;
        var stored = new List<long>();
        await using (var store = await MailStore.OpenAsync(options))
        {
            account = (await store.Accounts.CreateAsync("alice@example.org", "secret")).Value!.Id;
            Assert.True((await store.Folders.CreateAsync(account, "Old")).Ok);
            Assert.True(File.Exists(reserve), "The reserve is made at open when there is room.");
            for (var i = 0; i < 16; i++)
            {
                var copy = await AppendAsync(store, account, i < 12 ? "Inbox" : "Old", $"before {i}");
                Assert.True(copy.Ok, copy.Detail);
                if (i < 12)
                {
                    stored.Add(copy.Value!.Id);
                }
            }

            // A quiet moment: what the WAL holds is in the database file. (Mail still only in the WAL when
            // the disk fills needs room in the database file at the next checkpoint: the reserve, and the
            // floor on a real server, are sized to hold it; see StoreOptions.ReserveBytes.)
            await Eventually.TrueAsync(() => SqliteFiles.WalCopied(options.DatabasePath), "the WAL is copied into the database");
            var filler = disk.Fill();
            Assert.True(disk.FreeBytes < 64 * 1024, $"The disk should be full; {disk.FreeBytes} bytes are free.");

            // New mail: refused as StorageFull (a failure value from the room check, or the writer's exception
            // when SQLite finds no space first); never a bare SqliteException. SQLite may still fit a message
            // or two in pages it holds already (the WAL's), so a few may be taken before the refusal.
            StoreResult<DeliveredCopy> refused = default;
            for (var i = 0; i < 20; i++)
            {
                var outcome = await AppendOutcomeAsync(store, account, $"after the disk filled {i}");
                if (!outcome.Ok)
                {
                    refused = outcome;
                    break;
                }

                stored.Add(outcome.Value!.Id);
            }

            Assert.Equal(StoreError.StorageFull, refused.Error);
            Assert.Contains("full", refused.Detail, StringComparison.Ordinal);

            // What a user does to make room still works.
            Assert.True((await store.Messages.ChangeFlagsAsync(account, "Inbox", stored, MessageFlags.Seen, 0)).Ok);
            var trashed = await store.Messages.DeleteAsync(account, "Inbox", stored);
            Assert.True(trashed.Ok, trashed.Detail);
            var trashIds = trashed.Value!.Trashed.Values.ToList();
            var expunged = await store.Messages.DeleteAsync(account, "Trash", trashIds);
            Assert.True(expunged.Ok, expunged.Detail);
            Assert.Equal(trashIds.Count, expunged.Value!.Expunged.Count);
            var folder = await store.Folders.DeleteAsync(account, "Old", recursive: true);
            Assert.True(folder.Ok, folder.Detail);

            // The freed pages are room for new mail, with the disk still full: it resumes by itself.
            StoreResult<DeliveredCopy> resumed = default;
            await Eventually.TrueAsync(
                async () => (resumed = await AppendOutcomeAsync(store, account, "after the deletes")).Ok,
                "new mail is taken again in the room the deletes made");

            // Space returns: the reserve is made again.
            File.Delete(filler);
            await Eventually.TrueAsync(() => File.Exists(reserve), "the reserve is made again once space returns");
            Assert.True((await store.Messages.FetchAsync(account, "Inbox", resumed.Value!.Id)).Ok);
        }

        Assert.Equal("ok", SqliteFiles.IntegrityCheck(options.DatabasePath));
    }

    [Fact]
    public async Task Deletes_DiskFilledWhileMailWasStillInTheWal_ReserveReleasedAndDeletesCommit()
    {
        using var directory = new TempDirectory("butterfly-disk-reserve");
        using var disk = SmallDisk.Mount(directory.Combine("disk"), 16L << 20);
        var notices = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var options = Options(disk, reserveBytes: 4L << 20, notices.Enqueue);
        var reserve = Path.Combine(options.DataDirectory, DiskSpace.ReserveFileName);
        await using (var store = await MailStore.OpenAsync(options))
        {
            var account = (await store.Accounts.CreateAsync("alice@example.org", "secret")).Value!.Id;
            var ids = new List<long>();

            // A reader's open snapshot keeps the checkpointer from copying what is written after it: the
            // next messages stay in the WAL only, on pages past the end of the database file.
            SqliteEnvironment.EnsureInitialized();
            using (var reader = new SqliteConnection($"Data Source={options.DatabasePath};Pooling=False"))
            {
                reader.Open();
                using var snapshot = reader.BeginTransaction(deferred: true);
                using (var count = reader.CreateCommand())
                {
                    count.CommandText = "SELECT COUNT(*) FROM messages";
                    count.ExecuteScalar();
                }

                for (var i = 0; i < 4; i++)
                {
                    var copy = await AppendAsync(store, account, "Inbox", $"in the WAL {i}");
                    Assert.True(copy.Ok, copy.Detail);
                    ids.Add(copy.Value!.Id);
                }

                disk.Fill();
            }

            // The WAL cannot start again until those pages are in the database file, which has no room
            // to grow: the delete needs the reserve, which the writer gives up, checkpoints, and retries.
            Assert.True(File.Exists(reserve));
            var trashed = await store.Messages.DeleteAsync(account, "Inbox", ids);
            Assert.True(trashed.Ok, trashed.Detail);
            var expunged = await store.Messages.DeleteAsync(account, "Trash", [.. trashed.Value!.Trashed.Values]);
            Assert.True(expunged.Ok, expunged.Detail);

            // (The reserve may be back already: the checkpoint gave the WAL's space back to the disk.)
            Assert.Contains(notices, n => n.Contains("released the reserve", StringComparison.Ordinal));
        }

        Assert.Equal("ok", SqliteFiles.IntegrityCheck(options.DatabasePath));
    }

    /// <summary>No floor (the worst case: SQLite itself finds the disk full), a reserve, quick measurements.</summary>
    private static StoreOptions Options(SmallDisk disk, long reserveBytes, Action<string>? notice = null) => new()
    {
        DataDirectory = Path.Combine(disk.Path, "data"),
        PasswordCost = 4,
        AllowWeakPasswordHashingForTests = true,
        MinFreeBytes = 0,
        ReserveBytes = reserveBytes,
        FreeSpaceCheckInterval = TimeSpan.FromMilliseconds(50),
        Notice = notice,
    };

    private static async Task<StoreResult<DeliveredCopy>> AppendAsync(MailStore store, long account, string folder, string subject)
    {
        var bytes = TestMessages.Bytes(subject, MessageBytes);
        return await store.Messages.AppendAsync(account, folder, bytes, TestMessages.Summary(subject), 0, TestMessages.Received);
    }

    private static async Task<StoreResult<DeliveredCopy>> AppendOutcomeAsync(MailStore store, long account, string subject)
    {
        try
        {
            return await AppendAsync(store, account, "Inbox", subject);
        }
        catch (StoreException ex)
        {
            return StoreResult<DeliveredCopy>.Fail(ex.Error, ex.Message);
        }
    }

}
