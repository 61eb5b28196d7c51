using System.Globalization;

namespace Butterfly.Storage.Tests;

/// <summary>
/// Entry point of this assembly when a crash test runs it as a child process: delivers messages as fast
/// as it can and prints "ACK id" for each delivery the store acknowledged, until it is killed.
/// </summary>
public static class CrashChild
{
    public const string Command = "crash-deliver";

    public static async Task<int> Main(string[] args)
    {
        if (args.Length != 3 || args[0] != Command)
        {
            return 2;
        }

        var options = new StoreOptions
        {
            DataDirectory = args[1],
            PasswordCost = 4,
            AllowWeakPasswordHashingForTests = true,
        };
        await using var store = await MailStore.OpenAsync(options);
        var account = await store.Accounts.FindAsync(args[2]) ?? throw new InvalidOperationException("no account");
        var output = Console.Out;
        var gate = new object();
        var senders = Enumerable.Range(0, 16).Select(sender => Task.Run(async () =>
        {
            for (var i = 0; ; i++)
            {
                var subject = string.Create(CultureInfo.InvariantCulture, $"s{sender}-{i}");
                var result = await store.Deliveries.CommitAsync(new DeliveryCommit(TestMessages.Received)
                {
                    Copies = [new ContentCopies(TestMessages.Bytes(subject, padding: 4096), TestMessages.Summary(subject), [new DeliveryTarget(account.Id, "Inbox", MessageFlags.None)])],
                });
                var copies = result.Value!.Copies;
                lock (gate)
                {
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ACK {copies[0].Id} {subject}"));
                    output.Flush();
                }
            }
        }));
        await Task.WhenAll(senders);
        return 0;
    }
}
