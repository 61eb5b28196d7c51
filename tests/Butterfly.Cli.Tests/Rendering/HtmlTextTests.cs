using Butterfly.Cli.Rendering;
using Xunit;

namespace Butterfly.Cli.Tests.Rendering;

public sealed class HtmlTextTests
{
    [Theory]
    [InlineData("<p>one</p><p>two</p>", "one\n\ntwo\n")]
    [InlineData("a<br>b<br><br>c", "a\nb\n\nc\n")]
    [InlineData("<html><head><title>T</title><style>p{}</style><script>x()</script></head><body>  spaced \n  out  </body></html>", "spaced out\n")]
    [InlineData("caf&eacute; &lt;tag&gt; &amp; &#x1F98B;", "café <tag> & 🦋\n")]
    [InlineData("<a href=\"https://example.org/x\">the site</a>.", "the site <https://example.org/x>.\n")]
    [InlineData("<a href=\"https://example.org/\">https://example.org/</a>", "https://example.org/\n")]
    [InlineData("<pre>  keep\n    this</pre>after", "  keep\n    this\n\nafter\n")]
    [InlineData("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\nc\n")]
    [InlineData("", "")]
    public void Convert_Html_ReadableText(string html, string expected)
    {
        Assert.Equal(expected, HtmlText.Convert(html));
    }
}
