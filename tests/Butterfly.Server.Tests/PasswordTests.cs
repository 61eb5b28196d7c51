using System.Text.Json.Nodes;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Tests.Infrastructure;
using Butterfly.TestUtilities;
using Microsoft.Data.Sqlite;

namespace Butterfly.Server.Tests;

/// <summary>Password hashing through the real daemon: the bounded hashing queue, and hashes from before bcrypt.</summary>
public sealed class PasswordTests
{
    [Fact]
    public async Task Login_Flood_GetsSuccessOrBusy_NeverHangs_AndDeliveryGoesOn()
    {
        using var directory = new TempDirectory("butterfly-passwords");
        var config = DaemonProcess.WriteConfig(directory.Path, ["example.org"], c =>
        {
            c["registration"] = new JsonObject { ["open"] = true };

            // A real cost (each check takes a good part of a second here) and a short queue.
            c["passwords"] = new JsonObject { ["cost"] = 12, ["maxQueuedHashes"] = 4 };
            c["limits"] = new JsonObject { ["loginTimeoutSeconds"] = 120 };
        });
        await using var daemon = await DaemonProcess.StartAsync(config);
        await using var alice = await RawSession.RegisterAsync(daemon.EndPoint, "alice@example.org", "alice-password");

        const int logins = 24;
        var sessions = await Task.WhenAll(Enumerable.Range(0, logins).Select(_ => RawSession.ConnectAsync(daemon.EndPoint)));
        try
        {
            var busySeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var attempts = sessions.Select(async session =>
            {
                var reply = await session.RequestAsync(new { cmd = "login", user = "alice@example.org", password = "alice-password" });
                if (reply.Error == ErrorCode.ServerBusy)
                {
                    busySeen.TrySetResult();
                }

                return reply;
            }).ToArray();

            // The queue is full once a login has been refused: checks are running and waiting now.
            await busySeen.Task.WaitAsync(TimeSpan.FromSeconds(60));
            var sent = await alice.RequestAsync(new { cmd = "send", to = new[] { "alice@example.org" }, subject = "during the flood", text = "hi" });
            var pendingWhenDelivered = attempts.Count(a => !a.IsCompleted);

            Assert.True(sent.Ok, sent.Head);
            Assert.True(pendingWhenDelivered > 0, "the delivery should complete while password checks still wait");
            var replies = await Task.WhenAll(attempts).WaitAsync(TimeSpan.FromSeconds(120));
            Assert.All(replies, r => Assert.True(r.Ok || r.Error == ErrorCode.ServerBusy, r.Head));
            Assert.Contains(replies, r => r.Ok);
            var busy = replies.First(r => r.Error == ErrorCode.ServerBusy);
            Assert.Equal("Too many password checks are waiting; try again in a moment.", busy.Json.GetProperty("message").GetString());

            // A refused session stays open and may try again.
            var refusedSession = sessions[Array.FindIndex(replies, r => r.Error == ErrorCode.ServerBusy)];
            var retry = await refusedSession.RequestAsync(new { cmd = "login", user = "alice@example.org", password = "alice-password" });
            Assert.True(retry.Ok, retry.Head);
        }
        finally
        {
            foreach (var session in sessions)
            {
                await session.DisposeAsync();
            }
        }

        var inbox = await alice.RequestAsync(new { cmd = "message.list", folder = "Inbox" });
        Assert.Equal("during the flood", inbox.Json.GetProperty("messages")[0].GetProperty("subject").GetString());
    }

    [Fact]
    public async Task Login_Schema3Pbkdf2Account_LogsIn_HashBecomesBcrypt_OldKeyWarnsOnce()
    {
        using var directory = new TempDirectory("butterfly-passwords");
        var data = System.IO.Path.Combine(directory.Path, "data");
        Directory.CreateDirectory(data);
        File.Copy(System.IO.Path.Combine(AppContext.BaseDirectory, "TestData", "upgrade-schema-3", "butterfly.db"), System.IO.Path.Combine(data, "butterfly.db"));
        var config = DaemonProcess.WriteConfig(directory.Path, ["a.example"], c =>
            c["passwords"] = new JsonObject { ["iterations"] = 600_000, ["cost"] = 4, ["allowWeakHashingForTests"] = true });

        await using (var daemon = await DaemonProcess.StartAsync(config))
        {
            await using var bob = await RawSession.ConnectAsync(daemon.EndPoint);
            var wrong = await bob.RequestAsync(new { cmd = "login", user = "bob@a.example", password = "not-bobs" });
            var login = await bob.RequestAsync(new { cmd = "login", user = "bob@a.example", password = "bob-password" });

            Assert.Equal(ErrorCode.AuthFailed, wrong.Error);
            Assert.True(login.Ok, login.Head);
            var folders = await bob.RequestAsync(new { cmd = "folder.list" });
            Assert.Contains("\"Archive/2026\"", folders.Head, StringComparison.Ordinal);
            Assert.Equal(0, await daemon.StopAsync());
            Assert.Single(
                daemon.Output.Split('\n'),
                line => line.Contains("passwords.iterations", StringComparison.Ordinal) && line.Contains("no longer has an effect", StringComparison.Ordinal));
        }

        SQLitePCL.Batteries_V2.Init();
        using var connection = new SqliteConnection($"Data Source={System.IO.Path.Combine(data, "butterfly.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT address, password_hash FROM accounts ORDER BY address";
        using var reader = command.ExecuteReader();
        var hashes = new Dictionary<string, string>();
        while (reader.Read())
        {
            hashes[reader.GetString(0)] = reader.GetString(1);
        }

        Assert.Matches(@"^\$2[abxy]\$04\$[./A-Za-z0-9]{53}$", hashes["bob@a.example"]);
        Assert.StartsWith("pbkdf2-sha256$600000$", hashes["alice@a.example"], StringComparison.Ordinal);
    }
}
