using System.Text;
using System.Text.Json.Nodes;
using Butterfly.Client;
using Butterfly.Server.Tests.Federation;
using Butterfly.TestUtilities;
using Microsoft.Data.Sqlite;

namespace Butterfly.Server.Tests;

/// <summary>
/// A data folder written by main before issue 9 (TestData/upgrade-schema-3, see its README)
/// opened by this build with real daemons: every user logs in with the old password (and the
/// hash becomes bcrypt), every message is there with its flags, the mail queued for b.example
/// drains to a real b.example daemon, and the mail held for a filter is delivered.
/// </summary>
public sealed class UpgradeFolderTests
{
    private const string A = "a.example";
    private const string B = "b.example";

    [Fact]
    public async Task OldDataFolder_OpensWithThisBuild_MailAndQueueAndPasswordsSurvive()
    {
        using var directory = new TempDirectory("butterfly-upgrade");
        var data = Path.Combine(directory.Path, A, "data");
        Directory.CreateDirectory(data);
        var source = Path.Combine(AppContext.BaseDirectory, "TestData", "upgrade-schema-3");
        File.Copy(Path.Combine(source, "butterfly.db"), Path.Combine(data, "butterfly.db"));

        // No filters now: the message held for the absent "spam" filter goes through on the held-mail worker's next round.
        // The queued entry is as old as the test data: no delay notice (written 4 hours after queueing by default)
        // and no giving up (5 days) while these tests are in use, or the checks below would depend on the date.
        await using var network = await PeerNetwork.StartAsync(
            directory.Path,
            [A, B],
            (_, json) => json["queue"] = new JsonObject
            {
                ["retrySeconds"] = new JsonArray(0.5),
                ["heldRetrySeconds"] = 0.5,
                ["delayNoticeAfterSeconds"] = 0,
                ["giveUpAfterSeconds"] = 100.0 * 365 * 24 * 3600,
            },
            ["dave@b.example", "erin@b.example"]);

        await using (var bob = await LoginAsync(network[A], "bob@a.example", "bob-password"))
        {
            var inbox = await bob.ListMessagesAsync("Inbox", 100);
            Assert.Equal(["Rapport été", "Minutes"], inbox.Messages.Select(m => m.Subject));
            Assert.Equal(["seen"], inbox.Messages.Single(m => m.Subject == "Minutes").Flags);
            var archived = Assert.Single((await bob.ListMessagesAsync("Archive/2026", 100)).Messages);
            Assert.Equal("Lunch?", archived.Subject);
            Assert.Equal(["flagged", "seen"], archived.Flags.Order());

            var report = await bob.FetchAsync("Inbox", inbox.Messages.Single(m => m.Subject == "Rapport été").Id);
            var text = Encoding.UTF8.GetString(report.Content);
            Assert.Contains("Message-ID: <upgrade-attach@a.example>", text, StringComparison.Ordinal);
            Assert.Contains("AAECAwQFBgcICQ==", text, StringComparison.Ordinal);
        }

        await using (var alice = await LoginAsync(network[A], "alice@a.example", "alice-password"))
        {
            Assert.Equal(4, (await alice.ListMessagesAsync("Sent", 100)).Messages.Count);
            Assert.Equal("Re: Lunch?", Assert.Single((await alice.ListMessagesAsync("Inbox", 100)).Messages).Subject);
        }

        // Held for the filter before the upgrade, delivered now; Carol's older mail is there too.
        await ArrivedAsync(network[A], "carol@a.example", "carol-password", "Held for the filter");
        await using (var carol = await LoginAsync(network[A], "carol@a.example", "carol-password"))
        {
            Assert.Equal(["Held for the filter", "Minutes"], (await carol.ListMessagesAsync("Inbox", 100)).Messages.Select(m => m.Subject));
        }

        // Queued for b.example before the upgrade: delivered once to both recipients, and the queue is empty.
        foreach (var recipient in (string[])["dave@b.example", "erin@b.example"])
        {
            await ArrivedAsync(network[B], recipient, PeerNetwork.Password, "To the other server");
        }

        await QueueNetwork.WaitForEmptyQueueAsync(network.ConfigOf(A));

        // Every old PBKDF2 hash the users logged in with is bcrypt now, and logs in again.
        Assert.All(PasswordHashes(Path.Combine(data, "butterfly.db")), hash => Assert.StartsWith("$2", hash, StringComparison.Ordinal));
        await using var again = await LoginAsync(network[A], "alice@a.example", "alice-password");
    }

    private static async Task<ButterflyClient> LoginAsync(DaemonProcess daemon, string user, string password)
    {
        var client = await ButterflyClient.ConnectAsync(daemon.EndPoint);
        await client.LoginAsync(user, password);
        return client;
    }

    private static List<string> PasswordHashes(string database)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT password_hash FROM accounts ORDER BY address";
        using var reader = command.ExecuteReader();
        var hashes = new List<string>();
        while (reader.Read())
        {
            hashes.Add(reader.GetString(0));
        }

        return hashes;
    }

    /// <summary>Waits until <paramref name="subject"/> has reached <paramref name="user"/>'s Inbox, and never twice.</summary>
    private static Task ArrivedAsync(DaemonProcess daemon, string user, string password, string subject) =>
        Eventually.TrueAsync(
            async () =>
            {
                await using var client = await LoginAsync(daemon, user, password);
                var copies = (await client.ListMessagesAsync("Inbox", 100)).Messages.Count(m => m.Subject == subject);
                Assert.True(copies <= 1, $"{user} has {copies} copies of {subject}");
                return copies == 1;
            },
            $"{subject} reaches {user}",
            TimeSpan.FromSeconds(60));
}
