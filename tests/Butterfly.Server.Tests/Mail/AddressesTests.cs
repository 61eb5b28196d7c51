using MailAddresses = Butterfly.Server.Mail.Addresses;

namespace Butterfly.Server.Tests.Mail;

/// <summary>Address normalization: domains as lower-case A-labels without a trailing dot, invisible characters refused.</summary>
public sealed class AddressesTests
{
    [Theory]
    [InlineData("bob@test.example.", "bob@test.example")]
    [InlineData("<BOB@TEST.Example>", "bob@test.example")]
    [InlineData("j\u00F6rg@b\u00FCcher.example", "j\u00F6rg@xn--bcher-kva.example")]
    [InlineData("Cafe\u0301@example.org", "caf\u00E9@example.org")]
    public void TryNormalize_Address_NfcLowerCaseALabel(string text, string expected)
    {
        Assert.True(MailAddresses.TryNormalize(text, out var address, out var domain));
        Assert.Equal(expected, address);
        Assert.Equal(expected[(expected.IndexOf('@') + 1)..], domain);
    }

    [Theory]
    [InlineData("bo\u200Bb@example.org")]
    [InlineData("bo\u202Eb@example.org")]
    [InlineData("bob@example..org")]
    [InlineData("bob@.")]
    public void TryNormalize_InvisibleOrBadDomain_Refused(string text) => Assert.False(MailAddresses.TryNormalize(text, out _, out _));

    [Fact]
    public void Key_FullwidthAndCase_SameKey() =>
        Assert.Equal(MailAddresses.Key("alice@example.org"), MailAddresses.Key("\uFF41LICE@example.org"));
}
