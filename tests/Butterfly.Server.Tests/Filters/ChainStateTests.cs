using System.Text;
using Butterfly.Mime;
using Butterfly.Server.Filters;
using Butterfly.Storage;

namespace Butterfly.Server.Tests.Filters;

/// <summary>How verdicts add up between filters (protocol/filter.md, "Order of application").</summary>
public sealed class ChainStateTests
{
    private static readonly byte[] Message = Encoding.UTF8.GetBytes("Subject: hi\r\n\r\nbody\r\n");

    private static FilterVerdict Verdict(
        string kind = "accept",
        string? folder = null,
        ReadOnlyMemory<byte>? replace = null,
        IReadOnlyList<HeaderOp>? headers = null,
        IReadOnlyList<string>? add = null,
        IReadOnlyList<string>? remove = null,
        IReadOnlyList<KeyValuePair<string, string>>? file = null,
        IReadOnlyList<KeyValuePair<string, MessageFlags>>? flags = null) =>
        new(kind, null, null, folder, replace, headers ?? [], add ?? [], remove ?? [], file ?? [], flags ?? [], []);

    [Fact]
    public void Apply_ReplaceThenHeaders_EditsTheNewMessage()
    {
        var state = new ChainState(Message, ["a@example.org"]);
        var replacement = Encoding.UTF8.GetBytes("Subject: new\n\nnew body\n");
        Assert.Null(state.Apply(Verdict(replace: replacement, headers: [new HeaderOp("change", "Subject", "newer", 1)]), ParserOptions.Default));
        Assert.Equal("Subject: newer\n\nnew body\n", Encoding.UTF8.GetString(state.Message.Span));
    }

    [Fact]
    public void Apply_FoldersAndFlags_LaterWinsFlagsAddUp()
    {
        var state = new ChainState(Message, ["a@example.org", "b@example.org"]);
        state.Apply(Verdict(file: [new("a@example.org", "Lists")], flags: [new("a@example.org", MessageFlags.Flagged)]), ParserOptions.Default);
        state.Apply(Verdict(kind: "quarantine", folder: "Junk", flags: [new("*", MessageFlags.Seen)]), ParserOptions.Default);
        state.Apply(Verdict(file: [new("b@example.org", "Later")]), ParserOptions.Default);
        var outcome = state.ToOutcome(FilterAction.Accept);
        Assert.Equal("Junk", outcome.Folders["*"]);
        Assert.False(outcome.Folders.ContainsKey("a@example.org"));
        Assert.Equal("Later", outcome.Folders["b@example.org"]);
        Assert.Equal(MessageFlags.Seen | MessageFlags.Flagged, outcome.Flags["a@example.org"]);
        Assert.Equal(MessageFlags.Seen, outcome.Flags["*"]);
    }

    [Fact]
    public void Apply_Recipients_RemovedThenAddedWithoutDuplicates()
    {
        var state = new ChainState(Message, ["a@example.org", "b@example.org"]);
        state.Apply(Verdict(add: ["c@example.org", "a@example.org"], remove: ["b@example.org"]), ParserOptions.Default);
        Assert.Equal(["a@example.org", "c@example.org"], state.ToOutcome(FilterAction.Accept).Recipients);
    }
}
