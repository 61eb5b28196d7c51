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
    public void TryCanonicalize_Valid(string name, string canonical)
    {
        Assert.True(FolderNames.TryCanonicalize(name, out var result));
        Assert.Equal(canonical, result);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("A//B")]
    [InlineData("..")]
    [InlineData("A/\u007f")]
    public void TryCanonicalize_Invalid(string? name)
    {
        Assert.False(FolderNames.TryCanonicalize(name, out _));
    }

    [Fact]
    public void TryCanonicalize_LoneSurrogates_Invalid()
    {
        // Built in code: theory data would turn lone surrogates into U+FFFD on the way to the test.
        Assert.False(FolderNames.TryCanonicalize(new string(['\ud800']), out _));
        Assert.False(FolderNames.TryCanonicalize(new string(['A', '\udc00', 'B']), out _));
        Assert.False(FolderNames.TryCanonicalize(new string(['A', '\ud83e']), out _));
        Assert.True(FolderNames.TryCanonicalize(new string(['\ud83e', '\udd8b']), out _));
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
