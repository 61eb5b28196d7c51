// The mailbox load tool of tests/bench/mailbox-100k.sh (see there for the figures it gives).
//   fill ENDPOINT USER PASSWORD MBOX COUNT [CONNECTIONS] [IN_FLIGHT]: stores COUNT messages into Inbox
//     through the daemon (message.store), the corpus over and over, each copy made distinct (its
//     Message-ID and an X-Bench-Copy field), many requests in flight on a few connections.
//   load DATA_FOLDER ADDRESS MBOX COUNT [BATCH]: the same mailbox written into the store directly (no
//     daemon may hold the folder), BATCH messages per delivery commit, each summarized and extracted
//     as the daemon does it: the fast way to build 100,000 messages.
//   measure ENDPOINT USER PASSWORD ROUNDS: search and list-page latency, one request at a time.
//   sizes DATABASE: bytes per message with and without the search index (on a copy).
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Butterfly.Client;
using Butterfly.Mime;
using Butterfly.Mime.Mbox;
using Butterfly.Storage;
using Microsoft.Data.Sqlite;

return args.Length > 0 ? args[0] switch
{
    "fill" => await MailboxBench.Commands.FillAsync(args),
    "load" => await MailboxBench.Commands.LoadAsync(args),
    "measure" => await MailboxBench.Commands.MeasureAsync(args),
    "sizes" => MailboxBench.Commands.Sizes(args),
    _ => MailboxBench.Commands.Usage(),
} : MailboxBench.Commands.Usage();

namespace MailboxBench
{
    /// <summary>The three steps of the mailbox benchmark.</summary>
    internal static class Commands
    {
        public static int Usage()
        {
            Console.Error.WriteLine("usage: fill ENDPOINT USER PASSWORD MBOX COUNT [CONNECTIONS] [IN_FLIGHT] | measure ENDPOINT USER PASSWORD ROUNDS | sizes DATABASE");
            return 2;
        }

        public static async Task<int> FillAsync(string[] args)
        {
            var (endpoint, user, password) = (args[1], args[2], args[3]);
            var corpus = MboxReader.Split(await File.ReadAllBytesAsync(args[4])).Select(e => e.Message.ToArray()).ToArray();
            var count = int.Parse(args[5], CultureInfo.InvariantCulture);
            var connections = args.Length > 6 ? int.Parse(args[6], CultureInfo.InvariantCulture) : 4;
            var inFlight = args.Length > 7 ? int.Parse(args[7], CultureInfo.InvariantCulture) : 16;
            var next = -1;
            long rawBytes = 0;
            var clock = Stopwatch.StartNew();
            var workers = Enumerable.Range(0, connections).Select(async _ =>
            {
                await using var client = await ButterflyClient.ConnectAsync(endpoint);
                await client.LoginAsync(user, password);
                await Task.WhenAll(Enumerable.Range(0, inFlight).Select(async _ =>
                {
                    int i;
                    while ((i = Interlocked.Increment(ref next)) < count)
                    {
                        var bytes = Vary(corpus[i % corpus.Length], i / corpus.Length, i);
                        Interlocked.Add(ref rawBytes, bytes.Length);
                        await client.StoreAsync("Inbox", bytes);
                        if (i % 10_000 == 0)
                        {
                            Console.Error.WriteLine($"fill: {i} stored, {clock.Elapsed.TotalSeconds:F0} s");
                        }
                    }
                }));
            });
            await Task.WhenAll(workers);
            PrintRate(count, rawBytes, clock.Elapsed.TotalSeconds);
            return 0;
        }

        public static async Task<int> LoadAsync(string[] args)
        {
            var (data, address) = (args[1], args[2]);
            var corpus = MboxReader.Split(await File.ReadAllBytesAsync(args[3])).Select(e => e.Message.ToArray()).ToArray();
            var count = int.Parse(args[4], CultureInfo.InvariantCulture);
            var batch = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 500;
            await using var store = await MailStore.OpenAsync(new StoreOptions { DataDirectory = data });
            var account = await store.Accounts.FindAsync(address) ?? throw new InvalidOperationException($"no account {address}");
            long rawBytes = 0;
            var clock = Stopwatch.StartNew();
            Task? previous = null;
            for (var start = 0; start < count; start += batch)
            {
                // Parsing and extraction of the next batch overlap the commit of the one before.
                var copies = new List<ContentCopies>(batch);
                for (var i = start; i < Math.Min(count, start + batch); i++)
                {
                    var bytes = Vary(corpus[i % corpus.Length], i / corpus.Length, i);
                    rawBytes += bytes.Length;
                    copies.Add(new ContentCopies(bytes, Summarize(bytes), [new DeliveryTarget(account.Id, "Inbox", MessageFlags.None)]));
                }

                if (previous is not null)
                {
                    await previous;
                }

                previous = store.Deliveries.CommitAsync(new DeliveryCommit(DateTimeOffset.UtcNow) { Copies = copies });
                if (start % 10_000 == 0)
                {
                    Console.Error.WriteLine($"load: {start} stored, {clock.Elapsed.TotalSeconds:F0} s");
                }
            }

            if (previous is not null)
            {
                await previous;
            }

            PrintRate(count, rawBytes, clock.Elapsed.TotalSeconds);
            return 0;
        }

        /// <summary>What the daemon's MessageIntake.Summarize and Mail/SearchText keep of a message.</summary>
        private static ContentSummary Summarize(byte[] bytes)
        {
            if (MimeMessage.TryParse(bytes, out var message) != MimeError.None || message is null)
            {
                return ContentSummary.Empty;
            }

            var names = TextExtractor.GetAttachments(message).Select(a => a.FileName ?? string.Empty).ToArray();
            return new ContentSummary(
                message.From.Count == 0 ? null : string.Join(", ", message.From.Select(a => a.ToString())),
                message.To.Select(a => a.ToString()).ToArray(),
                message.Cc.Select(a => a.ToString()).ToArray(),
                message.Subject,
                message.Date,
                message.MessageId)
            {
                Text = new ContentText(TextExtractor.GetText(message, 256 * 1024), names, message.InReplyTo, message.References),
            };
        }

        public static async Task<int> MeasureAsync(string[] args)
        {
            var (endpoint, user, password) = (args[1], args[2], args[3]);
            var rounds = int.Parse(args[4], CultureInfo.InvariantCulture);
            await using var client = await ButterflyClient.ConnectAsync(endpoint);
            await client.LoginAsync(user, password);
            var today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            string[] queries =
            [
                "café", "réunion", "\"über café\"", "subject:réunion", "from:example.com", "invoice",
                "quarterly budget", "has:attachment", "is:unread", $"after:{today} café", "nosuchwordanywhere", "in:Inbox is:flagged",
            ];

            var results = new Dictionary<string, object>();
            var all = new List<double>();
            foreach (var query in queries)
            {
                await client.SearchAsync(query, limit: 50);
                var times = new List<double>();
                var matches = 0;
                for (var r = 0; r < rounds; r++)
                {
                    var start = Stopwatch.GetTimestamp();
                    var page = await client.SearchAsync(query, limit: 50);
                    times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    matches = page.Messages.Count;
                }

                all.AddRange(times);
                results[query] = new { p50 = Percentile(times, 50), p99 = Percentile(times, 99), firstPage = matches };
            }

            var first = await client.ListMessagesAsync("Inbox", 1);
            var top = first.Messages.Count == 0 ? 1 : first.Messages[0].Id + 1;
            var random = new Random(42);
            var listTimes = new List<double>();
            for (var r = 0; r < rounds * queries.Length; r++)
            {
                var before = r % 4 == 0 ? (long?)null : random.NextInt64(51, top);
                var start = Stopwatch.GetTimestamp();
                await client.ListMessagesAsync("Inbox", 50, before);
                listTimes.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }

            var threadTimes = new List<double>();
            for (var r = 0; r < rounds; r++)
            {
                var start = Stopwatch.GetTimestamp();
                await client.ListThreadsAsync("Inbox", 50, r * 50);
                threadTimes.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }

            Console.WriteLine(JsonSerializer.Serialize(
                new Dictionary<string, object>
                {
                    ["search"] = new { p50 = Percentile(all, 50), p99 = Percentile(all, 99), requests = all.Count },
                    ["listPage"] = new { p50 = Percentile(listTimes, 50), p99 = Percentile(listTimes, 99), requests = listTimes.Count },
                    ["threadPage"] = new { p50 = Percentile(threadTimes, 50), p99 = Percentile(threadTimes, 99), requests = threadTimes.Count },
                    ["perQuery"] = results,
                },
                new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
            return 0;
        }

        public static int Sizes(string[] args)
        {
            var database = args[1];
            var copy = database + ".sizes-copy";
            File.Copy(database, copy, overwrite: true);
            try
            {
                using var connection = new SqliteConnection($"Data Source={copy};Pooling=False");
                connection.Open();
                long Scalar(string sql)
                {
                    using var command = connection.CreateCommand();
                    command.CommandText = sql;
                    return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
                }

                void Execute(string sql)
                {
                    using var command = connection.CreateCommand();
                    command.CommandText = sql;
                    command.ExecuteNonQuery();
                }

                Execute("VACUUM");
                var messages = Scalar("SELECT COUNT(*) FROM messages");
                var raw = Scalar("SELECT COALESCE(SUM(c.size), 0) FROM messages m JOIN contents c ON c.id = m.content_id");
                var withIndex = Scalar("PRAGMA page_count") * Scalar("PRAGMA page_size");
                Execute("DROP TABLE search");
                Execute("VACUUM");
                var withoutIndex = Scalar("PRAGMA page_count") * Scalar("PRAGMA page_size");
                Execute("DROP TABLE threads");
                Execute("VACUUM");
                var withoutThreads = Scalar("PRAGMA page_count") * Scalar("PRAGMA page_size");
                var per = (double x) => Math.Round(x / Math.Max(1, messages), 1);
                Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["messages"] = messages,
                    ["rawBytesPerMessage"] = per(raw),
                    ["dbBytesPerMessage"] = per(withIndex),
                    ["dbBytesPerMessageWithoutSearchIndex"] = per(withoutIndex),
                    ["searchIndexBytesPerMessage"] = per(withIndex - withoutIndex),
                    ["threadBytesPerMessage"] = per(withoutIndex - withoutThreads),
                    ["dbOverRaw"] = Math.Round((double)withIndex / Math.Max(1, raw), 3),
                    ["dbOverRawWithoutSearchIndex"] = Math.Round((double)withoutIndex / Math.Max(1, raw), 3),
                }));
            }
            finally
            {
                SqliteConnection.ClearAllPools();
                File.Delete(copy);
            }

            return 0;
        }

        private static void PrintRate(int count, long rawBytes, double seconds) =>
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["messages"] = count,
                ["rawBytes"] = rawBytes,
                ["seconds"] = Math.Round(seconds, 1),
                ["perSecond"] = Math.Round(count / seconds),
            }));

        private static double Percentile(List<double> values, int p)
        {
            var sorted = values.Order().ToArray();
            var index = (int)Math.Ceiling(p / 100.0 * sorted.Length) - 1;
            return Math.Round(sorted[Math.Clamp(index, 0, sorted.Length - 1)], 2);
        }

        /// <summary>Copy <paramref name="copy"/> of a corpus message: its own Message-ID and a field naming it, the rest as it was.</summary>
        private static byte[] Vary(byte[] message, int copy, int index)
        {
            var text = Encoding.Latin1.GetString(message);
            var mid = text.IndexOf("\nMessage-ID: <", StringComparison.OrdinalIgnoreCase);
            if (mid >= 0)
            {
                var at = mid + "\nMessage-ID: <".Length;
                text = text[..at] + copy.ToString(CultureInfo.InvariantCulture) + "." + text[at..];
            }

            return Encoding.Latin1.GetBytes($"X-Bench-Copy: {copy} {index}\n" + text);
        }
    }
}
