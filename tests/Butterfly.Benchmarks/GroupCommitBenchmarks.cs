using System.Buffers.Binary;
using System.Text;
using BenchmarkDotNet.Attributes;
using Butterfly.Storage;

namespace Butterfly.Benchmarks;

/// <summary>
/// The group commit: <see cref="Concurrency"/> deliveries of a 10 KB message started together into a
/// store in a temporary folder (WAL, synchronous=FULL: each commit waits for its fsync), through the
/// public store API (<c>Deliveries.CommitAsync</c>), the way the delivery pipeline calls it. One
/// operation is the whole group; Program prints the time per delivery, and the cleanup how many
/// deliveries shared each commit. Every message differs (a counter in its body), so each stores its
/// own content and search-index row, as mail does.
/// </summary>
public class GroupCommitBenchmarks
{
    private string _folder = "";
    private MailStore _store = null!;
    private long _accountId;
    private byte[][] _messages = [];
    private ContentSummary _summary = null!;
    private long _counter;
    private int _bodyStart;

    /// <summary>Deliveries in flight at once (the 32 of `bench send --clients 32`).</summary>
    [Params(1, 8, 32)]
    public int Concurrency { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "butterfly-groupcommit-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        _store = MailStore.OpenAsync(new StoreOptions { DataDirectory = _folder, PasswordCost = 4, AllowWeakPasswordHashingForTests = true }).GetAwaiter().GetResult();
        var account = _store.Accounts.CreateAsync("alice@localhost", "bench-password").GetAwaiter().GetResult();
        _accountId = account.Value?.Id ?? throw new InvalidOperationException("Could not create the account: " + account.Detail);
        var template = SampleFrames.Message;
        _bodyStart = template.AsSpan().IndexOf("\r\n\r\n"u8) + 4;
        _messages = [.. Enumerable.Range(0, Concurrency).Select(_ => template.ToArray())];
        var body = Encoding.ASCII.GetString(template, _bodyStart, template.Length - _bodyStart);
        _summary = new ContentSummary("alice@localhost", ["alice@localhost"], [], "butterfly bench 10240 bytes", DateTimeOffset.UtcNow, null)
        {
            Text = new ContentText(body, [], null, []),
        };
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        var s = _store.Statistics;
        Console.WriteLine($"// group commit, {Concurrency} in flight: {s.Operations:N0} deliveries in {s.Commits:N0} commits ({(double)s.Operations / Math.Max(1, s.Commits):0.0} per commit, largest {s.LargestBatch}); commit (fsync) {s.CommitTime.TotalMilliseconds / Math.Max(1, s.Commits):0.00} ms each");
        _store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Concurrency deliveries started together, each one message into Inbox, all awaited.</summary>
    [Benchmark]
    public async Task DeliverTogether()
    {
        var commits = new Task<StoreResult<CommitResult>>[Concurrency];
        for (var i = 0; i < commits.Length; i++)
        {
            var message = _messages[i];
            // A new number at the start of the body: a new content each time, not a shared one.
            BinaryPrimitives.WriteInt64LittleEndian(message.AsSpan(_bodyStart), Interlocked.Increment(ref _counter));
            var commit = new DeliveryCommit(DateTimeOffset.UtcNow)
            {
                Copies = [new ContentCopies(message, _summary, [new DeliveryTarget(_accountId, "Inbox", MessageFlags.None)])],
            };
            commits[i] = _store.Deliveries.CommitAsync(commit);
        }

        foreach (var result in await Task.WhenAll(commits))
        {
            if (!result.Ok)
            {
                throw new InvalidOperationException("A delivery failed: " + result.Detail);
            }
        }
    }
}
