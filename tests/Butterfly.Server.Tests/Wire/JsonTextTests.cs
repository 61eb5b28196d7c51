using System.Text;
using Butterfly.Server.Wire;

namespace Butterfly.Server.Tests.Wire;

/// <summary>JsonErrors.TextProblem: heads that are not UTF-8, or escape a lone surrogate.</summary>
public sealed class JsonTextTests
{
    [Theory]
    [InlineData("{\"cmd\":\"ping\"}")]
    [InlineData("{\"cmd\":\"x\",\"s\":\"\\ud83d\\ude00\"}")]
    [InlineData("{\"cmd\":\"x\",\"s\":\"\\\\ud800\"}")]
    [InlineData("{\"cmd\":\"x\",\"s\":\"\\u00e9\\\"\\\\\"}")]
    [InlineData("{\"cmd\":\"caf\u00E9 \uD83D\uDE00\"}")]
    public void TextProblem_UnicodeHead_None(string head) => Assert.Null(JsonErrors.TextProblem(Encoding.UTF8.GetBytes(head)));

    [Theory]
    [InlineData("{\"cmd\":\"\\ud800\"}")]
    [InlineData("{\"cmd\":\"\\udc00\"}")]
    [InlineData("{\"cmd\":\"\\ud800\\u0041\"}")]
    [InlineData("{\"cmd\":\"\\uD800\\uD800\\uDC00\"}")]
    [InlineData("{\"cmd\":\"x\",\"\\ud800\":1}")]
    public void TextProblem_LoneSurrogateEscape_Named(string head) =>
        Assert.Contains("lone surrogate", JsonErrors.TextProblem(Encoding.UTF8.GetBytes(head)), StringComparison.Ordinal);

    [Theory]
    [InlineData(new byte[] { 0x7B, 0xC3, 0x28, 0x7D })]
    [InlineData(new byte[] { 0x7B, 0xED, 0xA0, 0x80, 0x7D })]
    [InlineData(new byte[] { 0x7B, 0xF8, 0x7D })]
    public void TextProblem_NotUtf8_Named(byte[] head) =>
        Assert.Contains("not valid UTF-8", JsonErrors.TextProblem(head), StringComparison.Ordinal);
}
