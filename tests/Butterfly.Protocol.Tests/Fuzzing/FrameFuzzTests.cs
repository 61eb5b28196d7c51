using System.Diagnostics;
using System.Globalization;
using Butterfly.Protocol.Tests.Vectors;
using Butterfly.TestUtilities;
using Xunit;
using Xunit.Abstractions;

namespace Butterfly.Protocol.Tests.Fuzzing;

/// <summary>
/// Runs <see cref="FrameFuzz"/> from a fixed seed for a few seconds (the same inputs every run,
/// so a failure in CI reproduces), and replays every saved regression input. Long runs from
/// random seeds are a script: Fuzzing/fuzz.sh sets BUTTERFLY_FUZZ_SECONDS and BUTTERFLY_FUZZ_SEED.
/// </summary>
public sealed class FrameFuzzTests(ITestOutputHelper output)
{
    private const double DefaultSeconds = 3;
    private const int DefaultSeed = 20261129;
    private const int MaxSavedFailures = 10;

    public static TheoryData<string> RegressionFiles => [.. FuzzRegressions.Files().Select(Path.GetFileName).OfType<string>()];

    [Fact]
    public void Fuzz_RandomAndMutatedInputs_HoldInvariantsForBoundedTime()
    {
        var seconds = EnvironmentNumber("BUTTERFLY_FUZZ_SECONDS", DefaultSeconds);
        var seed = (int)EnvironmentNumber("BUTTERFLY_FUZZ_SEED", DefaultSeed);
        var seeds = FuzzInputs.VectorSeeds().Concat(FuzzRegressions.Files().Select(FuzzRegressions.Read));
        var inputs = new FuzzInputs(new Random(seed), seeds);
        var failures = new List<string>();
        var executions = 0L;
        var totalBytes = 0L;
        var clock = Stopwatch.StartNew();

        do
        {
            var input = inputs.Next();
            totalBytes += input.Length;
            try
            {
                FrameFuzz.Fuzz(input);
            }
            catch (Exception ex)
            {
                var path = FuzzRegressions.Save(input, ex, seed);
                failures.Add($"{Path.GetFileName(path)}: {ex.GetType().Name}: {ex.Message}");
            }

            executions++;
        }
        while (clock.Elapsed.TotalSeconds < seconds && failures.Count < MaxSavedFailures);

        output.WriteLine(
            $"FrameFuzz: {executions:N0} executions in {clock.Elapsed.TotalSeconds:F1} s " +
            $"({executions / Math.Max(clock.Elapsed.TotalSeconds, 0.001):N0}/s, {totalBytes:N0} bytes), seed {seed}, {failures.Count} failures");
        Assert.True(failures.Count == 0, "Saved to TestData/fuzz-regressions:\n" + string.Join("\n", failures));
    }

    [Fact]
    public void Fuzz_EveryVectorPrefixAndSuffix_HoldsInvariants()
    {
        var executions = 0;
        foreach (var vector in FrameVectorFile.All)
        {
            for (var i = 0; i <= vector.Bytes.Length; i++)
            {
                FrameFuzz.Fuzz(vector.Bytes.AsSpan(0, i));
                FrameFuzz.Fuzz(vector.Bytes.AsSpan(i));
                executions += 2;
            }
        }

        output.WriteLine($"FrameFuzz: {executions} executions over vector prefixes and suffixes");
    }

    [Fact]
    public void FuzzRegressions_Folder_HasAtLeastOneInput()
    {
        Assert.NotEmpty(FuzzRegressions.Files());
    }

    [Fact]
    public void Fuzz_AflCorpusInputs_HoldInvariants()
    {
        // tests/fuzz: the AFL++ seeds and kept corpus, replayed without AFL.
        Assert.NotEmpty(FuzzCorpus.Files("frame"));
        Assert.Empty(FuzzCorpus.Failures("frame", bytes => FrameFuzz.Fuzz(bytes)));
    }

    [Theory]
    [MemberData(nameof(RegressionFiles))]
    public void Fuzz_SavedRegressionInput_HoldsInvariants(string file)
    {
        var input = FuzzRegressions.Read(Path.Combine(Support.RepoPaths.FuzzRegressions, file));

        FrameFuzz.Fuzz(input);
    }

    private static double EnvironmentNumber(string name, double fallback)
    {
        var text = Environment.GetEnvironmentVariable(name);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 ? value : fallback;
    }
}
