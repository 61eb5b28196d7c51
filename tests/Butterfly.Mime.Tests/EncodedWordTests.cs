using System.Text;

namespace Butterfly.Mime.Tests;

public class EncodedWordTests
{
    [Theory]
    [InlineData("=?utf-8?B?UsOpOiByw6l1bmlvbg==?=", "Ré: réunion")]
    [InlineData("=?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?=", "Jürgen Müller")]
    [InlineData("=?iso-8859-1?q?caf=E9?=", "café")]
    [InlineData("=?windows-1251?B?7/Do4uXy?=", "привет")]
    [InlineData("=?koi8-r?B?0NLJ18XU?=", "привет")]
    [InlineData("=?iso-2022-jp?B?GyRCJDMkcyRLJEEkTxsoQg==?=", "こんにちは")]
    [InlineData("=?shift_jis?B?grGC8YLJgr+CzQ==?=", "こんにちは")]
    [InlineData("=?gb2312?B?xOO6ww==?=", "你好")]
    [InlineData("=?big5?B?p0Gmbg==?=", "你好")]
    [InlineData("=?utf-8*en?q?hello?=", "hello")]
    [InlineData("a =?utf-8?q?b?= c", "a b c")]
    [InlineData("=?utf-8?q?a?= =?utf-8?q?b?=", "ab")]
    [InlineData("=?utf-8?q?a?=\t  =?iso-8859-1?q?=E9?=", "aé")]
    [InlineData("=?utf-8?q?a_b?= x =?utf-8?q?c?=", "a b x c")]
    [InlineData("=?utf-8?x?bad?=", "=?utf-8?x?bad?=")]
    [InlineData("=?utf-8?q?unterminated", "=?utf-8?q?unterminated")]
    [InlineData("=?unknown-charset?q?abc?=", "abc")]
    [InlineData("=?utf-8?B?w6k?=", "é")]
    public void Decode_Subject(string encoded, string expected)
    {
        var m = Msg.Parse("Subject: " + encoded + "\r\n\r\n");
        Assert.Equal(expected, m.Subject);
    }

    [Fact]
    public void Decode_CharacterSplitAcrossAdjacentWords_Joined()
    {
        // "é" is C3 A9 in UTF-8: the first word ends mid-character.
        var m = Msg.Parse("Subject: =?utf-8?Q?caf=C3?= =?utf-8?Q?=A9?=\r\n\r\n");
        Assert.Equal("café", m.Subject);
        var b = Msg.Parse("Subject: =?utf-8?B?w6nDqcO=?=\r\n =?utf-8?B?qQ==?=\r\n\r\n");
        Assert.Equal("ééé", b.Subject);
    }

    [Fact]
    public void Decode_FromTestData_SplitMidCharacter()
    {
        var m = Msg.Parse(Msg.Data("encoded-word-split-mid-character.eml"));
        Assert.Equal("Größenwahn 日本語", m.Subject);
        Assert.Equal("Zoë Ångström", m.From[0].Name);
    }

    [Fact]
    public void Decode_RawBytesUntouched_WhenNoEncodedWords()
    {
        var m = Msg.Parse(Encoding.UTF8.GetBytes("Subject: 100% = ?\r\n\r\n"));
        Assert.Equal("100% = ?", m.Subject);
    }
}
