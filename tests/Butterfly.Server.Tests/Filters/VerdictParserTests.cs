using System.Text.Json;
using System.Text;
using Butterfly.Server.Filters;
using Butterfly.Storage;

namespace Butterfly.Server.Tests.Filters;

/// <summary>Reading verdict replies (protocol/filter.md, "Verdicts" and "Failures").</summary>
public sealed class VerdictParserTests
{
    private static readonly HashSet<string> All =
        ["accept", "reject", "tempfail", "discard", "quarantine", "file", "flags", "headers", "replace", "recipients", "inject"];

    private static (FilterVerdict? Verdict, string Problem) Parse(string json, string body = "", IReadOnlySet<string>? actions = null)
    {
        using var document = JsonDocument.Parse(json);
        VerdictParser.TryParse(document.RootElement, Encoding.UTF8.GetBytes(body), actions ?? All, "probe", out var verdict, out var problem);
        return (verdict, problem);
    }

    [Fact]
    public void TryParse_EveryField_IsRead()
    {
        var (verdict, problem) = Parse(
            """
            {"ok":true,"verdict":"quarantine","folder":"Spam",
             "replace":{"offset":0,"length":9},
             "headers":[{"op":"add","name":"X-A","value":"1"},{"op":"delete","name":"X-B","index":2}],
             "recipients":{"add":["New@Example.org"],"remove":["old@example.org"]},
             "file":[{"recipient":"b@example.org","folder":"Lists"}],
             "flags":[{"recipient":"*","flags":["seen","flagged"]}],
             "inject":[{"sender":"","recipients":["c@example.org"],"offset":10,"length":4}]}
            """,
            "Subject: xBODY");
        Assert.Equal(string.Empty, problem);
        Assert.NotNull(verdict);
        Assert.Equal("quarantine", verdict.Kind);
        Assert.Equal("Spam", verdict.Folder);
        Assert.Equal("Subject: ", Encoding.UTF8.GetString(verdict.Replace!.Value.Span));
        Assert.Equal([new HeaderOp("add", "X-A", "1", 1), new HeaderOp("delete", "X-B", null, 2)], verdict.Headers);
        Assert.Equal(["new@example.org"], verdict.Add);
        Assert.Equal(["old@example.org"], verdict.Remove);
        Assert.Equal([new KeyValuePair<string, string>("b@example.org", "Lists")], verdict.File);
        Assert.Equal([new KeyValuePair<string, MessageFlags>("*", MessageFlags.Seen | MessageFlags.Flagged)], verdict.Flags);
        var injected = Assert.Single(verdict.Inject);
        Assert.Equal("BODY", Encoding.UTF8.GetString(injected.Raw.Span));
        Assert.Equal("probe", injected.Filter);
    }

    [Theory]
    [InlineData("""{"ok":true}""", "missing")]
    [InlineData("""{"ok":true,"verdict":"maybe"}""", "unknown verdict")]
    [InlineData("""{"ok":true,"verdict":"reject","code":"Not A Code"}""", "dotted")]
    [InlineData("""{"ok":true,"verdict":"accept","replace":{"offset":0,"length":99}}""", "inside the body")]
    [InlineData("""{"ok":true,"verdict":"accept","headers":[{"op":"add","name":"Bad Name","value":"x"}]}""", "field name")]
    [InlineData("""{"ok":true,"verdict":"accept","headers":[{"op":"add","name":"X-A","value":"a\r\nInjected: yes"}]}""", "one line")]
    [InlineData("""{"ok":true,"verdict":"accept","headers":[{"op":"move","name":"X-A"}]}""", "unknown op")]
    [InlineData("""{"ok":true,"verdict":"accept","recipients":{"add":["not an address"]}}""", "not an address")]
    [InlineData("""{"ok":true,"verdict":"accept","flags":[{"recipient":"*","flags":["deleted"]}]}""", "unknown flag")]
    [InlineData("""{"ok":true,"verdict":"accept","file":[{"recipient":"*","folder":"/abs"}]}""", "folder name")]
    [InlineData("""{"ok":true,"verdict":"accept","inject":[{"sender":"","recipients":[],"offset":0,"length":1}]}""", "no recipients")]
    [InlineData("""{"ok":true,"verdict":7}""", "wrong type")]
    public void TryParse_BadVerdict_IsAProblem(string json, string expected)
    {
        var (verdict, problem) = Parse(json, "x");
        Assert.Null(verdict);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("verdict-replace-offset-overflow.json", "replace")]
    [InlineData("verdict-inject-length-overflow.json", "inject")]
    public void TryParse_SliceEndOverflowingLong_IsAProblem(string file, string slice)
    {
        // Found while writing the verdict fuzz target: offset + length wrapped around and passed.
        var json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "fuzz-regressions", file));

        var (verdict, problem) = Parse(json, "hello");

        Assert.Null(verdict);
        Assert.Equal(slice + ": offset and length must lie inside the body (5 bytes)", problem);
    }

    [Fact]
    public void TryParse_UndeclaredAction_IsAProblem()
    {
        var (verdict, problem) = Parse("""{"ok":true,"verdict":"accept","headers":[{"op":"add","name":"X-A","value":"1"}]}""", actions: new HashSet<string> { "accept" });
        Assert.Null(verdict);
        Assert.Contains("did not declare the action 'headers'", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_RejectWithoutCode_LeavesDefaultToTheChain()
    {
        var (verdict, _) = Parse("""{"ok":true,"verdict":"reject","reason":"no\u0007thanks"}""");
        Assert.Null(verdict!.Code);
        Assert.Equal("no thanks", verdict.Reason);
    }
}
