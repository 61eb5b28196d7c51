using Butterfly.Server.Mail;

namespace Butterfly.Server.Tests.Mail;

/// <summary>DMARC relaxed alignment (RFC 7489 §3.1, §3.2), with a public suffix list and without one.</summary>
public sealed class DomainAlignmentTests
{
    private static readonly DomainAlignment _withList = DomainAlignment.FromLines(
        ["// comment", "uk", "co.uk", "*.ck", "!www.ck", "jp", "example"]);

    private static readonly DomainAlignment _withoutList = DomainAlignment.FromLines(null);

    [Theory]
    [InlineData("a.example", "a.example", true)]
    [InlineData("mail.a.example", "a.example", true)]
    [InlineData("x.mail.a.example", "news.a.example", true)]
    [InlineData("a.example", "b.example", false)]
    [InlineData("shop.co.uk", "bank.co.uk", false)]
    [InlineData("mail.shop.co.uk", "shop.co.uk", true)]
    [InlineData("co.uk", "shop.co.uk", false)]
    [InlineData("a.b.ck", "c.b.ck", false)]
    [InlineData("mail.www.ck", "www.ck", true)]
    public void Aligned_WithPublicSuffixes_SameOrganizationalDomain(string first, string second, bool aligned) =>
        Assert.Equal(aligned, _withList.Aligned(first, second));

    [Theory]
    [InlineData("a.example", "a.example", true)]
    [InlineData("mail.a.example", "a.example", true)]
    [InlineData("a.example", "mail.a.example", true)]
    [InlineData("x.a.example", "y.a.example", false)]
    [InlineData("a.example", "b.example", false)]
    [InlineData("evila.example", "a.example", false)]
    public void Aligned_WithoutPublicSuffixes_EqualOrSubdomain(string first, string second, bool aligned) =>
        Assert.Equal(aligned, _withoutList.Aligned(first, second));

    [Fact]
    public void FromFile_Missing_FallsBackToTheSubdomainRule()
    {
        var alignment = DomainAlignment.FromFile("/nonexistent/public_suffix_list.dat");

        Assert.False(alignment.HasPublicSuffixes);
        Assert.True(alignment.Aligned("mail.a.example", "a.example"));
    }

    [Fact]
    public void System_DebianList_AlignsWithinCoUkOnly()
    {
        // The machine's list when Debian's publicsuffix package is installed (the CI installs it).
        var alignment = DomainAlignment.System;
        Assert.True(alignment.HasPublicSuffixes, DomainAlignment.SystemListPath + " is missing: install the publicsuffix package");
        Assert.False(alignment.Aligned("shop.co.uk", "bank.co.uk"));
        Assert.True(alignment.Aligned("mail.shop.co.uk", "shop.co.uk"));
    }
}
