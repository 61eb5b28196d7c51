using Butterfly.Cli.Migration;
using Xunit;

namespace Butterfly.Cli.Tests.Migration;

/// <summary>Maildir's flag letters and Butterfly's flags.</summary>
public sealed class MaildirFlagsTests
{
    [Fact]
    public void Parse_EveryLetter_MapsToItsFlag()
    {
        var flags = MaildirFlags.Parse("1700000000.M1P2.host,S=12:2,DFRST", out var trashed);

        Assert.Equal(["draft", "flagged", "answered", "seen"], flags);
        Assert.True(trashed);
    }

    [Fact]
    public void Parse_NoInfo_NoFlags()
    {
        Assert.Empty(MaildirFlags.Parse("1700000000.M1P2.host", out var trashed));
        Assert.False(trashed);
    }

    [Fact]
    public void Suffix_Flags_LettersInAsciiOrder()
    {
        Assert.Equal(":2,FRS", MaildirFlags.Suffix(["seen", "answered", "flagged"]));
        Assert.Equal(":2,", MaildirFlags.Suffix([]));
    }
}
