using System.Text;
using Butterfly.Mime;
using Butterfly.Server.Filters;

namespace Butterfly.Server.Tests.Filters;

/// <summary>Header edits on raw bytes (protocol/filter.md, "Verdicts"): offsets from the parser, folding, CRLF and LF.</summary>
public sealed class HeaderEditorTests
{
    private const string Crlf = "Received: from a\r\n\tby b; Sun, 1 Jan 2026 00:00:00 +0000\r\nFrom: a@example.org\r\nSubject: Hello\r\n world\r\nX-Tag: one\r\nX-Tag: two\r\n\r\nBody line\r\nX-Tag: not a header\r\n";

    private static string Apply(string message, params HeaderOp[] ops) =>
        Encoding.UTF8.GetString(HeaderEditor.Apply(Encoding.UTF8.GetBytes(message), ops, ParserOptions.Default)!);

    [Fact]
    public void Apply_Add_GoesOnTopWithTheMessagesLineEnding()
    {
        Assert.Equal("X-Spam: yes\r\n" + Crlf, Apply(Crlf, new HeaderOp("add", "X-Spam", "yes", 1)));
        var lf = Crlf.Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.Equal("X-Spam: yes\n" + lf, Apply(lf, new HeaderOp("add", "X-Spam", "yes", 1)));
    }

    [Fact]
    public void Apply_ChangeFoldedField_ReplacesAllItsLines()
    {
        var result = Apply(Crlf, new HeaderOp("change", "subject", "[SPAM] Hello world", 1));
        Assert.Equal(Crlf.Replace("Subject: Hello\r\n world\r\n", "subject: [SPAM] Hello world\r\n", StringComparison.Ordinal), result);
    }

    [Fact]
    public void Apply_DeleteSecondOccurrence_LeavesFirstAndBody()
    {
        var result = Apply(Crlf, new HeaderOp("delete", "X-Tag", null, 2));
        Assert.Equal(Crlf.Replace("X-Tag: two\r\n", string.Empty, StringComparison.Ordinal), result);
        Assert.EndsWith("X-Tag: not a header\r\n", result, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_DeleteFoldedTraceField_RemovesContinuation()
    {
        var result = Apply(Crlf, new HeaderOp("delete", "Received", null, 1));
        Assert.StartsWith("From: a@example.org\r\n", result, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_ChangeAbsentOccurrence_AddsField()
    {
        var result = Apply(Crlf, new HeaderOp("change", "X-Tag", "three", 3));
        Assert.Equal("X-Tag: three\r\n" + Crlf, result);
    }

    [Fact]
    public void Apply_DeleteAbsentField_ChangesNothing()
    {
        Assert.Equal(Crlf, Apply(Crlf, new HeaderOp("delete", "X-None", null, 1)));
    }

    [Fact]
    public void Apply_OpsInOrder_SeeEarlierEdits()
    {
        // The add puts an X-Tag first, so "index 1" of the later delete is the new one.
        var result = Apply(Crlf, new HeaderOp("add", "X-Tag", "zero", 1), new HeaderOp("delete", "X-Tag", null, 1));
        Assert.Equal(Crlf, result);
    }

    [Fact]
    public void Apply_LfMessage_ChangeKeepsLf()
    {
        var lf = Crlf.Replace("\r\n", "\n", StringComparison.Ordinal);
        var result = Apply(lf, new HeaderOp("change", "X-Tag", "uno", 1));
        Assert.Contains("X-Tag: uno\nX-Tag: two\n", result, StringComparison.Ordinal);
        Assert.DoesNotContain('\r', result);
    }

    [Fact]
    public void Apply_UnparseableMessage_ReturnsNull()
    {
        Assert.Null(HeaderEditor.Apply(ReadOnlyMemory<byte>.Empty, [new HeaderOp("add", "X-A", "1", 1)], ParserOptions.Default));
    }
}
