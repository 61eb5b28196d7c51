using System.Diagnostics;
using System.Globalization;

namespace Butterfly.Storage.Tests;

public sealed class CrashTests
{
    [Fact]
    public async Task KilledProcess_LosesNoAcknowledgedDelivery()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var alice = await fixture.CreateAccountAsync();
        await fixture.Store.DisposeAsync();

        var acknowledged = new Dictionary<long, string>();
        for (var round = 0; round < 3; round++)
        {
            foreach (var (id, subject) in await RunAndKillAsync(fixture, alice.Address, kill: 150 + (round * 100)))
            {
                acknowledged.Add(id, subject);
            }
        }

        await fixture.ReopenAsync();
        var store = fixture.Store;
        foreach (var (id, subject) in acknowledged)
        {
            var message = await store.Messages.FetchAsync(alice.Id, "Inbox", id);
            Assert.True(message.Ok, $"acknowledged message {id} ({subject}) is missing");
            Assert.Equal(subject, message.Value!.Item.Summary.Subject);
        }

        Assert.Equal("ok", await store.Writer.EnqueueAsync(c => c.Command("PRAGMA integrity_check").ExecuteScalar() as string, default));
    }

    private static async Task<List<(long Id, string Subject)>> RunAndKillAsync(StoreFixture fixture, string address, int kill)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(CrashChild).Assembly.Location);
        start.ArgumentList.Add(CrashChild.Command);
        start.ArgumentList.Add(fixture.Directory.Path);
        start.ArgumentList.Add(address);

        using var child = Process.Start(start)!;
        var acks = new List<(long, string)>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            while (acks.Count < kill && await child.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                var parts = line.Split(' ');
                if (parts is ["ACK", var id, var subject])
                {
                    acks.Add((long.Parse(id, CultureInfo.InvariantCulture), subject));
                }
            }
        }
        finally
        {
            // SIGKILL: no disposal, no flush, no chance to finish the transaction in flight.
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync(CancellationToken.None);
        }

        Assert.True(acks.Count >= kill, $"child stopped early: {await child.StandardError.ReadToEndAsync()}");
        return acks;
    }
}
