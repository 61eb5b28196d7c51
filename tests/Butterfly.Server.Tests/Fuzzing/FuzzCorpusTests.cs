using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Fuzzing;

/// <summary>
/// Replays the AFL++ seeds and kept corpus of tests/fuzz through the same targets the fuzzer
/// ran, so CI checks them without AFL.
/// </summary>
public sealed class FuzzCorpusTests
{
    [Fact]
    public void HeadFuzz_EveryKeptInput_DecodesWithoutException()
    {
        Assert.NotEmpty(FuzzCorpus.Files("head"));
        Assert.Empty(FuzzCorpus.Failures("head", bytes => HeadFuzz.Fuzz(bytes)));
    }

    [Fact]
    public void VerdictFuzz_EveryKeptInput_ParsesWithoutException()
    {
        Assert.NotEmpty(FuzzCorpus.Files("verdict"));
        Assert.Empty(FuzzCorpus.Failures("verdict", bytes => VerdictFuzz.Fuzz(bytes)));
    }
}
