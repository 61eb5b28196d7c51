using Butterfly.Storage.Internal;

namespace Butterfly.Storage.Tests;

public sealed class FolderNameTests
{
    [Theory]
    [InlineData("Inbox", "Inbox")]
    [InlineData("INBOX", "Inbox")]
    [InlineData("inbox/Later", "Inbox/Later")]
    [InlineData("Inboxes", "Inboxes")]
    [InlineData("Archive/inbox", "Archive/inbox")]
    [InlineData("sent", "sent")]
    [InlineData("a..b/.c/d.", "a..b/.c/d.")]
    [InlineData("🦋/日本語", "🦋/日本語")]
    [InlineData(" Work ", "Work")]
    [InlineData("a / b", "a/b")]
    [InlineData("\u00a0inbox\t/x", "Inbox/x")]
    public void TryCanonicalize_Valid(string name, string canonical)
    {
        Assert.True(FolderNames.TryCanonicalize(name, out var result, out _));
        Assert.Equal(canonical, result);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("A//B")]
    [InlineData("..")]
    [InlineData("A/\u007f")]
    [InlineData(" / ")]
    [InlineData("a/\tb\tc")]
    public void TryCanonicalize_Invalid(string? name)
    {
        Assert.False(FolderNames.TryCanonicalize(name, out _, out _));
    }

    [Fact]
    public void TryCanonicalize_LoneSurrogates_Invalid()
    {
        // Built in code: theory data would turn lone surrogates into U+FFFD on the way to the test.
        Assert.False(FolderNames.TryCanonicalize(new string(['\ud800']), out _, out _));
        Assert.False(FolderNames.TryCanonicalize(new string(['A', '\udc00', 'B']), out _, out _));
        Assert.False(FolderNames.TryCanonicalize(new string(['A', '\ud83e']), out _, out _));
        Assert.True(FolderNames.TryCanonicalize(new string(['\ud83e', '\udd8b']), out _, out _));
    }

    [Theory]
    [InlineData("a", new string[0])]
    [InlineData("a/b", new[] { "a" })]
    [InlineData("a/b/c", new[] { "a", "a/b" })]
    public void Parents_OutermostFirst(string name, string[] parents)
    {
        Assert.Equal(parents, FolderNames.Parents(name));
    }

    [Fact]
    public void TryCanonicalize_LongName_QuotedShort()
    {
        Assert.False(FolderNames.TryCanonicalize(new string('x', 300) + "/", out _, out var problem));
        Assert.Equal($"Folder name '{new string('x', 80)}…' ends with '/'.", problem);
    }

    [Theory]
    [InlineData("A", "A", true)]
    [InlineData("A/B", "A", true)]
    [InlineData("A/B/C", "A", true)]
    [InlineData("AB", "A", false)]
    [InlineData("A-B", "A", false)]
    [InlineData("A", "A/B", false)]
    public void IsSelfOrDescendant(string name, string parent, bool expected)
    {
        Assert.Equal(expected, FolderNames.IsSelfOrDescendant(name, parent));
    }

    [Fact]
    public void IsProtected_OnlyExactDefaults()
    {
        Assert.All(FolderNames.Defaults, name => Assert.True(FolderNames.IsProtected(name)));
        Assert.False(FolderNames.IsProtected("Inbox/Sub"));
        Assert.False(FolderNames.IsProtected("trash"));
    }
}
