namespace Butterfly.Mime.Tests;

public class AddressParsingTests
{
    [Theory]
    [InlineData("alice@example.org", null, "alice@example.org")]
    [InlineData("Alice <alice@example.org>", "Alice", "alice@example.org")]
    [InlineData("\"Doe, Jane\" <jane@example.org>", "Doe, Jane", "jane@example.org")]
    [InlineData("\"Jane \\\"JD\\\" Doe\" <jane@example.org>", "Jane \"JD\" Doe", "jane@example.org")]
    [InlineData("jane@example.org (Jane Doe)", "Jane Doe", "jane@example.org")]
    [InlineData("Jane (the boss) Doe <jane@example.org>", "Jane Doe", "jane@example.org")]
    [InlineData("John Q. Public <jqp@example.org>", "John Q. Public", "jqp@example.org")]
    [InlineData("<@relay.example:bob@example.org>", null, "bob@example.org")]
    [InlineData("=?utf-8?Q?J=C3=BCrgen?= <j@example.org>", "Jürgen", "j@example.org")]
    [InlineData("\"=?utf-8?B?SsO8cmdlbg==?=\" <j@example.org>", "Jürgen", "j@example.org")]
    [InlineData("Ünal <ünal@exämple.org>", "Ünal", "ünal@exämple.org")]
    [InlineData("\"john doe\"@example.org", null, "\"john doe\"@example.org")]
    [InlineData("user@[192.0.2.1]", null, "user@[192.0.2.1]")]
    [InlineData("Bob <bob@example.org", "Bob", "bob@example.org")]
    [InlineData("=?utf-8?Q?Doe,_J=C3=B6rg_(IT)?= <jd@example.org>", "Doe, Jörg (IT)", "jd@example.org")]
    [InlineData("=?utf-8?B?w6k=?==?utf-8?B?w6k=?= <e@example.org>", "éé", "e@example.org")]
    public void TryParse_Mailbox(string text, string? name, string address)
    {
        Assert.True(MailboxAddress.TryParse(text, out var m));
        Assert.Equal(name, m!.Name);
        Assert.Equal(address, m.Address);
    }

    [Fact]
    public void ParseList_Group_Flattened()
    {
        var list = MailboxAddress.ParseList("Team: a@x.example, \"B\" <b@x.example>;, c@y.example");
        Assert.Equal(["a@x.example", "b@x.example", "c@y.example"], list.Select(m => m.Address));
        Assert.Equal("B", list[1].Name);
    }

    [Fact]
    public void ParseList_EmptyGroup_NoMailboxes()
    {
        Assert.Empty(MailboxAddress.ParseList("undisclosed-recipients:;"));
    }

    [Fact]
    public void ParseList_UnquotedCommaInName_Recovered()
    {
        var list = MailboxAddress.ParseList("Doe, John <john@example.org>, jane@example.org");
        Assert.Equal(2, list.Count);
        Assert.Equal("Doe, John", list[0].Name);
        Assert.Equal("jane@example.org", list[1].Address);
    }

    [Fact]
    public void ParseList_Garbage_SkippedUpToComma()
    {
        var list = MailboxAddress.ParseList("<>, @@@, good@example.org,,, \"unterminated name");
        Assert.Equal("good@example.org", Assert.Single(list).Address);
    }

    [Fact]
    public void ParseList_MissingCommas_StillSplits()
    {
        var list = MailboxAddress.ParseList("a@x.example b@y.example");
        Assert.Equal(["a@x.example", "b@y.example"], list.Select(m => m.Address));
    }

    [Fact]
    public void TryParse_TwoMailboxes_False()
    {
        Assert.False(MailboxAddress.TryParse("a@x.example, b@y.example", out _));
        Assert.False(MailboxAddress.TryParse("", out _));
    }

    [Theory]
    [InlineData(null, "a@b.example", "a@b.example")]
    [InlineData("Alice Smith", "a@b.example", "Alice Smith <a@b.example>")]
    [InlineData("Smith, Alice", "a@b.example", "\"Smith, Alice\" <a@b.example>")]
    [InlineData("A \"Q\" B", "a@b.example", "\"A \\\"Q\\\" B\" <a@b.example>")]
    public void ToString_QuotesWhenNeeded(string? name, string address, string expected)
    {
        Assert.Equal(expected, new MailboxAddress(name, address).ToString());
    }

    [Fact]
    public void Message_ToAcrossFields_Joined()
    {
        var m = Msg.Parse("To: a@x.example,\r\n  B <b@x.example>\r\nTo: c@x.example\r\nCc: d@x.example\r\nBcc: e@x.example\r\nReply-To: f@x.example\r\n\r\n");
        Assert.Equal(3, m.To.Count);
        Assert.Equal("d@x.example", Assert.Single(m.Cc).Address);
        Assert.Equal("e@x.example", Assert.Single(m.Bcc).Address);
        Assert.Equal("f@x.example", Assert.Single(m.ReplyTo).Address);
    }

    [Fact]
    public void Message_SourceRoutesAndBangPaths_NoJunkMailboxes()
    {
        // RFC 5322 allows a route only inside angle brackets (obs-angle-addr: "<" obs-route addr-spec ">")
        // and says to ignore it; a route before a bare address is dropped the same way. An address
        // with two "@" is not RFC 5322 syntax at all: it is read as a mail system routes it, to the
        // domain after the last "@", the rest being the local part (quoted, since it holds "@").
        // MimeKit 4.18 gives "develop!x@ebony" there (the domain cut off) and no mailbox for the
        // bare route; with brackets it agrees with us ("sblab!x", "dev@example.org").
        var m = Msg.Parse(Msg.Data("address-source-routes-and-bang-paths.eml"));
        var from = Assert.Single(m.From);
        Assert.Equal("\"develop!x@ebony\"@sblab.att.com", from.Address);
        Assert.Equal("\"develop!x@ebony\"", from.LocalPart);
        Assert.Equal("sblab.att.com", from.Domain);
        Assert.Equal("sblab!x", Assert.Single(m.To).Address);
        Assert.Equal(
            ["dev@example.org", "\"develop!x@ebony\"@sblab.att.com", "uucp!host!user", "carol@example.org"],
            m.Cc.Select(a => a.Address));
        Assert.Equal(["Dev", "Bang", null, null], m.Cc.Select(a => a.Name));
    }

    [Theory]
    [InlineData("@a.example,@b.example:x@c.example", "x@c.example")]
    [InlineData("<@develop:sblab!x>", "sblab!x")]
    [InlineData("a@b.example@c.example", "\"a@b.example\"@c.example")]
    [InlineData("\"a@b\"@c.example", "\"a@b\"@c.example")]
    public void TryParse_RouteOrSeveralAtSigns_OneMailbox(string text, string address)
    {
        Assert.True(MailboxAddress.TryParse(text, out var m));
        Assert.Equal(address, m!.Address);
    }
}
