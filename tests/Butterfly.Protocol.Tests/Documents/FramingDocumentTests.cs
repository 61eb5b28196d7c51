using System.Text.RegularExpressions;
using Butterfly.Protocol.Tests.Support;
using Butterfly.Protocol.Tests.Vectors;
using Xunit;

namespace Butterfly.Protocol.Tests.Documents;

/// <summary>protocol/framing.md stays true: its hex examples are vectors, and the sections code cites exist.</summary>
public sealed partial class FramingDocumentTests
{
    private static readonly string _text = File.ReadAllText(RepoPaths.FramingDocument).ReplaceLineEndings("\n");

    [Fact]
    public void FramingExamples_EveryFullHexBlock_IsAVector()
    {
        var examples = _text[_text.IndexOf("\n## Examples", StringComparison.Ordinal)..];
        examples = examples[..examples.IndexOf("\n## ", 1, StringComparison.Ordinal)];
        var vectorBytes = FrameVectorFile.All.Select(v => Hex.Format(v.Bytes)).ToHashSet(StringComparer.Ordinal);
        var checkedBlocks = 0;

        foreach (Match block in CodeBlock().Matches(examples))
        {
            var body = block.Groups["body"].Value;
            if (body.Contains("...", StringComparison.Ordinal))
            {
                continue; // elided for reading; the full bytes are in the vector file
            }

            var hex = Hex.Format(Hex.Parse(body));
            Assert.True(vectorBytes.Contains(hex), $"framing.md example is not in vectors/frames.json:\n{body}");
            checkedBlocks++;
        }

        Assert.True(checkedBlocks >= 4, $"only {checkedBlocks} full examples found");
    }

    [Theory]
    [InlineData("Layout")]
    [InlineData("Length")]
    [InlineData("Tag")]
    [InlineData("Head length")]
    [InlineData("Limits")]
    [InlineData("Reply ordering")]
    [InlineData("Errors")]
    [InlineData("Hello")]
    [InlineData("Examples")]
    public void FramingDocument_RequiredSection_Exists(string section)
    {
        Assert.Contains(section, Headings());
    }

    [Fact]
    public void SourceComments_FramingCitations_NameExistingSections()
    {
        var src = Path.Combine(RepoPaths.Root, "src");
        var headings = Headings();
        var citations = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => Citation().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetRelativePath(src, f), Section: m.Groups["section"].Value)))
            .ToArray();

        Assert.NotEmpty(citations);
        Assert.All(citations, c => Assert.True(headings.Contains(c.Section), $"{c.File} cites framing.md, \"{c.Section}\", which has no heading"));
    }

    private static HashSet<string> Headings() =>
        _text.Split('\n').Where(l => l.StartsWith("## ", StringComparison.Ordinal)).Select(l => l[3..].Trim()).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex("```\\n(?<body>[0-9a-f \\n.]+?)```")]
    private static partial Regex CodeBlock();

    [GeneratedRegex("framing\\.md,? \"(?<section>[^\"]+)\"")]
    private static partial Regex Citation();
}
