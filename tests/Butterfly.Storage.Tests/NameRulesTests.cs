namespace Butterfly.Storage.Tests;

/// <summary>The Unicode rules for names (NameRules): NFC, invisible characters, folded keys, scripts, domains.</summary>
public sealed class NameRulesTests
{
    [Theory]
    [InlineData("Cafe\u0301", "Caf\u00E9")]
    [InlineData("Caf\u00E9", "Caf\u00E9")]
    [InlineData("alice", "alice")]
    public void TryNormalize_Text_IsNfc(string text, string expected)
    {
        Assert.True(NameRules.TryNormalize(text, "A name", allowSpace: false, out var normalized, out _));
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData("a\u0000b", "control")]
    [InlineData("a\u001Fb", "control")]
    [InlineData("a\u202Eb", "bidirectional")]
    [InlineData("a\u2066b", "bidirectional")]
    [InlineData("a\u200Bb", "zero-width")]
    [InlineData("a\uFEFFb", "zero-width")]
    [InlineData("a\u3164b", "invisible")]
    [InlineData("a\u00ADb", "invisible formatting")]
    [InlineData("a\u00A0b", "space")]
    [InlineData("a b", "space")]
    public void TryNormalize_InvisibleOrControl_RefusedNamingTheCharacter(string text, string kind)
    {
        Assert.False(NameRules.TryNormalize(text, "A name", allowSpace: false, out _, out var problem));
        Assert.Contains(kind, problem, StringComparison.Ordinal);
        Assert.Contains("position 2", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TryNormalize_LoneSurrogate_Refused()
    {
        // Built here: xunit would turn a lone surrogate in theory data into U+FFFD.
        var text = "a" + (char)0xD800 + "b";
        Assert.False(NameRules.TryNormalize(text, "A name", allowSpace: false, out _, out var problem));
        Assert.Contains("lone surrogate at position 2", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TryNormalize_SpaceWhereAllowed_Accepted() =>
        Assert.True(NameRules.TryNormalize("My Work", "A folder name", allowSpace: true, out _, out _));

    [Theory]
    [InlineData("\uFF41lice", "alice")]
    [InlineData("ALICE", "alice")]
    [InlineData("Cafe\u0301", "caf\u00E9")]
    [InlineData("CAF\u00C9", "caf\u00E9")]
    [InlineData("\u039F\u0394\u03A5\u03A3\u03A3\u0395\u03A5\u03A3", "\u03BF\u03B4\u03C5\u03C3\u03C3\u03B5\u03C5\u03C3")]
    public void Fold_Lookalikes_ShareAKey(string text, string key) => Assert.Equal(key, NameRules.Fold(text));

    [Theory]
    [InlineData("bob@test.example.", "bob@test.example")]
    [InlineData("BOB@TEST.Example", "bob@test.example")]
    [InlineData("\uFF42ob@b\u00FCcher.example", "bob@xn--bcher-kva.example")]
    public void AddressKey_CaseTrailingDotAndIdn_OneKey(string address, string key) => Assert.Equal(key, NameRules.AddressKey(address));

    [Theory]
    [InlineData("p\u043Eter")]
    [InlineData("\u0430pple")]
    [InlineData("abc\u03B1")]
    public void MixedScriptProblem_LatinWithCyrillicOrGreek_Refused(string local) =>
        Assert.NotNull(NameRules.MixedScriptProblem(local));

    [Theory]
    [InlineData("peter.smith+tag-1")]
    [InlineData("\u043F\u0435\u0442\u0440")]
    [InlineData("\u5C71\u7530\u305F\u308D\u3046")]
    [InlineData("taro\u5C71\u7530")]
    [InlineData("\uD55C\uAD6D\u5C71")]
    [InlineData("jos\u00E9")]
    public void MixedScriptProblem_OneScriptOrAllowedCombination_Accepted(string local) =>
        Assert.Null(NameRules.MixedScriptProblem(local));

    [Theory]
    [InlineData("TEST.example.", "test.example")]
    [InlineData("b\u00FCcher.Example", "xn--bcher-kva.example")]
    public void TryNormalizeDomain_CaseDotIdn_LowerCaseALabel(string domain, string expected)
    {
        Assert.True(NameRules.TryNormalizeDomain(domain, out var ascii));
        Assert.Equal(expected, ascii);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("bad_domain.example")]
    public void TryNormalizeDomain_Invalid_Refused(string domain) => Assert.False(NameRules.TryNormalizeDomain(domain, out _));
}
