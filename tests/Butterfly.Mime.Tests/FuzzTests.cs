using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Butterfly.TestUtilities;
using Xunit.Abstractions;

namespace Butterfly.Mime.Tests;

/// <summary>
/// Runs <see cref="MimeFuzz.Fuzz"/> over random inputs and mutations of the TestData corpus:
/// inside <c>dotnet test</c> with a fixed seed, for 4,000 inputs or 5 seconds,
/// whichever comes first (the same inputs every run, as far as it gets). fuzz.sh beside this file
/// runs longer with a random seed (BUTTERFLY_FUZZ_SECONDS, BUTTERFLY_FUZZ_SEED, BUTTERFLY_FUZZ_RUNS
/// with 0 for no count limit). Failing inputs are saved under TestData/fuzz-regressions/ and
/// replayed by <see cref="Regression_DoesNotThrow"/>.
/// </summary>
public class FuzzTests(ITestOutputHelper output)
{
    private static readonly byte[][] Tokens =
    [
        "\r\n"u8.ToArray(), "\n"u8.ToArray(), "\n\n"u8.ToArray(), "--"u8.ToArray(), ":"u8.ToArray(), "="u8.ToArray(), "=?"u8.ToArray(), "?="u8.ToArray(),
        "=?utf-8?B?"u8.ToArray(), "=?utf-8?Q?=C3"u8.ToArray(), "\""u8.ToArray(), "<"u8.ToArray(), ">"u8.ToArray(), "("u8.ToArray(), ")"u8.ToArray(), "@"u8.ToArray(), ";"u8.ToArray(),
        "\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"u8.ToArray(), "\r\n--b--\r\n"u8.ToArray(), "\nContent-Type: message/rfc822\n\n"u8.ToArray(),
        "Content-Transfer-Encoding: base64\n"u8.ToArray(), "Content-Transfer-Encoding: quoted-printable\n"u8.ToArray(), "*0*=utf-8''%"u8.ToArray(), "name*1="u8.ToArray(),
        "\nFrom "u8.ToArray(), ">From "u8.ToArray(), " \t"u8.ToArray(), [0], [0xFF], [0xC3], "\\"u8.ToArray(), [0xEF, 0xBB, 0xBF],
        "no colon here\n"u8.ToArray(), "\n--b\n--b\n"u8.ToArray(), "; type=text/html; start=<a@b>"u8.ToArray(), "Content-ID: <a@b>\n"u8.ToArray(), "<a@ b >"u8.ToArray(), "@r:x@y"u8.ToArray(),
    ];

    [Fact]
    public void Fuzz_RandomAndMutatedInputs_NeverThrow()
    {
        var seconds = double.TryParse(Environment.GetEnvironmentVariable("BUTTERFLY_FUZZ_SECONDS"), System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : 5;
        long runs = long.TryParse(Environment.GetEnvironmentVariable("BUTTERFLY_FUZZ_RUNS"), out var r) ? r : 4_000;
        int seed = int.TryParse(Environment.GetEnvironmentVariable("BUTTERFLY_FUZZ_SEED"), out var parsed) ? parsed : 20260101;
        var random = new Random(seed);
        var corpus = LoadCorpus();
        var failures = new List<string>();
        long executions = 0;
        var sw = Stopwatch.StartNew();
        byte[] current = [];
        long startedTicks = 0;

        // A hang cannot be interrupted: the watchdog saves the input and ends the process so CI reports it.
        using var watchdog = new Timer(
            _ =>
            {
                var began = Interlocked.Read(ref startedTicks);
                if (began != 0 && Stopwatch.GetElapsedTime(began).TotalSeconds > 10)
                {
                    var name = Save(Volatile.Read(ref current));
                    Environment.FailFast("fuzz: input hangs the parser: " + name);
                }
            },
            null,
            1000,
            1000);
        while (sw.Elapsed.TotalSeconds < seconds && (runs <= 0 || executions < runs))
        {
            Volatile.Write(ref current, random.Next(8) == 0 ? RandomInput(random) : Mutate(random, corpus[random.Next(corpus.Count)], corpus));
            Interlocked.Exchange(ref startedTicks, Stopwatch.GetTimestamp());
            var started = sw.Elapsed;
            try
            {
                MimeFuzz.Fuzz(current);
            }
            catch (Exception ex)
            {
                failures.Add(Save(current) + ": " + ex.GetType().Name + ": " + ex.Message);
                if (failures.Count > 20)
                {
                    break;
                }
            }

            if ((sw.Elapsed - started).TotalSeconds > 1)
            {
                failures.Add(Save(current) + ": slow input (" + (sw.Elapsed - started).TotalSeconds + " s)");
            }

            Interlocked.Exchange(ref startedTicks, 0);
            executions++;
            if (executions % 64 == 0 && random.Next(4) == 0 && current.Length < 64 * 1024)
            {
                corpus.Add(current);
            }
        }

        output.WriteLine($"fuzz: {executions:N0} executions in {sw.Elapsed.TotalSeconds:N1} s (seed {seed}), {failures.Count} failures");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(executions > 0);
    }

    public static TheoryData<string> Regressions()
    {
        var data = new TheoryData<string>();
        var dir = Path.Combine(AppContext.BaseDirectory, "TestData", "fuzz-regressions");
        foreach (var f in Directory.EnumerateFiles(dir).Where(f => !f.EndsWith(".md", StringComparison.Ordinal)).OrderBy(f => f, StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(f));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Regressions))]
    public void Regression_DoesNotThrow(string file)
    {
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "fuzz-regressions", file));
        MimeFuzz.Fuzz(bytes);
        _ = MimeMessage.TryParse(bytes, ParserOptions.Default, out _);
    }

    [Fact]
    public void Fuzz_AflCorpusInputs_DoNotThrow()
    {
        // tests/fuzz: the AFL++ seeds and kept corpus, replayed without AFL.
        Assert.NotEmpty(FuzzCorpus.Files("mime"));
        Assert.Empty(FuzzCorpus.Failures("mime", bytes => MimeFuzz.Fuzz(bytes)));
    }

    private static List<byte[]> LoadCorpus()
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "TestData");
        var list = Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .Where(f => new FileInfo(f).Length < 16 * 1024 && !f.EndsWith(".md", StringComparison.Ordinal))
            .Select(File.ReadAllBytes).ToList();

        // Messages as MimeKit writes them: every construct the comparison tests use, small.
        for (int seed = 0; seed < 16; seed++)
        {
            var generator = new Comparison.RandomMessageGenerator(seed);
            var format = generator.NextFormat();
            var bytes = Comparison.RandomMessageGenerator.ToBytes(generator.NextMessage(maxDepth: 2), format);
            if (bytes.Length < 16 * 1024)
            {
                list.Add(bytes);
            }
        }

        return list;
    }

    private static byte[] RandomInput(Random random)
    {
        var bytes = new byte[random.Next(0, 512)];
        if (random.Next(2) == 0)
        {
            random.NextBytes(bytes);
            return bytes;
        }

        // Random sequence of tokens and printable text: much more likely to reach deep code.
        var ms = new MemoryStream();
        while (ms.Length < bytes.Length)
        {
            if (random.Next(3) == 0)
            {
                ms.Write(Tokens[random.Next(Tokens.Length)]);
            }
            else
            {
                ms.WriteByte((byte)random.Next(32, 127));
            }
        }

        return ms.ToArray();
    }

    private static byte[] Mutate(Random random, byte[] input, List<byte[]> corpus)
    {
        var data = new List<byte>(input);
        int rounds = 1 + random.Next(8);
        for (int r = 0; r < rounds; r++)
        {
            int pos = data.Count == 0 ? 0 : random.Next(data.Count);
            switch (random.Next(7))
            {
                case 0 when data.Count > 0:
                    data[pos] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    data.Insert(pos, (byte)random.Next(256));
                    break;
                case 2 when data.Count > 0:
                    data.RemoveRange(pos, Math.Min(data.Count - pos, 1 + random.Next(16)));
                    break;
                case 3:
                    data.InsertRange(pos, Tokens[random.Next(Tokens.Length)]);
                    break;
                case 4 when data.Count > 0:
                {
                    int len = Math.Min(data.Count - pos, 1 + random.Next(64));
                    var chunk = data.GetRange(pos, len);
                    data.InsertRange(random.Next(data.Count), chunk);
                    break;
                }

                case 5:
                {
                    var other = corpus[random.Next(corpus.Count)];
                    if (other.Length > 0)
                    {
                        int start = random.Next(other.Length);
                        data.InsertRange(pos, other.AsSpan(start, Math.Min(other.Length - start, 1 + random.Next(256))).ToArray());
                    }

                    break;
                }

                default:
                    if (data.Count > 0)
                    {
                        data.RemoveRange(pos, data.Count - pos);
                    }

                    break;
            }
        }

        return [.. data];
    }

    /// <summary>Saves a failing input into the source tree's TestData/fuzz-regressions (and the output copy).</summary>
    private static string Save(byte[] input)
    {
        var name = "crash-" + Convert.ToHexStringLower(SHA256.HashData(input))[..16] + ".bin";
        foreach (var dir in RegressionDirectories())
        {
            Directory.CreateDirectory(dir);
            File.WriteAllBytes(Path.Combine(dir, name), input);
        }

        return name + " (" + Encoding.UTF8.GetString(input.AsSpan(0, Math.Min(input.Length, 80))).ReplaceLineEndings("\\n") + ")";
    }

    private static IEnumerable<string> RegressionDirectories()
    {
        yield return Path.Combine(AppContext.BaseDirectory, "TestData", "fuzz-regressions");
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Butterfly.Mime.Tests.csproj")))
            {
                yield return Path.Combine(d.FullName, "TestData", "fuzz-regressions");
                yield break;
            }
        }
    }
}
