using System.Text;
using MimeKit.Text;

namespace Butterfly.Scripting.Internal;

/// <summary>Renders HTML as plain text for scripts: the text content, line breaks at block elements, no script or style.</summary>
internal static class HtmlText
{
    private static readonly HashSet<string> BlockTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "br", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "hr", "table", "ul", "ol",
    };

    public static string Render(string html)
    {
        var text = new StringBuilder(html.Length);
        var tokenizer = new HtmlTokenizer(new StringReader(html));
        var skipping = 0;
        while (tokenizer.ReadNextToken(out var token))
        {
            switch (token)
            {
                case HtmlTagToken tag when tag.Id is HtmlTagId.Script or HtmlTagId.Style:
                    skipping += tag.IsEndTag ? -1 : tag.IsEmptyElement ? 0 : 1;
                    skipping = Math.Max(skipping, 0);
                    break;
                case HtmlTagToken tag when BlockTags.Contains(tag.Name):
                    if (text.Length > 0 && text[^1] != '\n')
                    {
                        text.Append('\n');
                    }

                    break;
                case HtmlDataToken data when skipping == 0:
                    AppendCollapsed(text, data.Data);
                    break;
            }
        }

        return text.ToString().Trim();
    }

    // HTML whitespace collapses to one space, and never at the start of a line.
    private static void AppendCollapsed(StringBuilder text, string data)
    {
        foreach (var c in data)
        {
            if (char.IsWhiteSpace(c))
            {
                if (text.Length > 0 && text[^1] is not (' ' or '\n'))
                {
                    text.Append(' ');
                }
            }
            else
            {
                text.Append(c);
            }
        }
    }
}
