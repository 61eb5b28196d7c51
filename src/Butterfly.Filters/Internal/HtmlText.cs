using System.Text;
using MimeKit.Text;

namespace Butterfly.Filters.Internal;

/// <summary>
/// The text an HTML body shows, read with MimeKit's HTML tokenizer (MimeKit 4.18 has converters
/// from text to HTML but none back): character references decoded, script and style left out,
/// runs of white space made one space, and a line break for each block element.
/// </summary>
internal static class HtmlText
{
    /// <summary>The text of <paramref name="html"/>.</summary>
    public static string Convert(string html)
    {
        var text = new StringBuilder(html.Length);
        var tokenizer = new HtmlTokenizer(new StringReader(html));
        var hidden = 0;
        while (tokenizer.ReadNextToken(out var token))
        {
            switch (token)
            {
                case HtmlTagToken tag when tag.Id is HtmlTagId.Script or HtmlTagId.Style:
                    if (!tag.IsEmptyElement)
                    {
                        hidden = Math.Max(0, hidden + (tag.IsEndTag ? -1 : 1));
                    }

                    break;
                case HtmlTagToken tag when IsBlock(tag.Id):
                    NewLine(text);
                    break;
                case HtmlTagToken tag when tag.Id is HtmlTagId.TD or HtmlTagId.TH:
                    AppendCollapsed(text, " ");
                    break;
                case HtmlDataToken data when hidden == 0 && token.Kind is HtmlTokenKind.Data or HtmlTokenKind.CData:
                    AppendCollapsed(text, data.Data);
                    break;
            }
        }

        return text.ToString().Trim();
    }

    private static bool IsBlock(HtmlTagId id) => id is HtmlTagId.Br or HtmlTagId.P or HtmlTagId.Div or HtmlTagId.TR
        or HtmlTagId.LI or HtmlTagId.BlockQuote or HtmlTagId.Pre or HtmlTagId.Table or HtmlTagId.UL or HtmlTagId.OL
        or HtmlTagId.H1 or HtmlTagId.H2 or HtmlTagId.H3 or HtmlTagId.H4 or HtmlTagId.H5 or HtmlTagId.H6 or HtmlTagId.HR;

    private static void NewLine(StringBuilder text)
    {
        while (text.Length > 0 && text[^1] == ' ')
        {
            text.Length--;
        }

        if (text.Length > 0 && text[^1] != '\n')
        {
            text.Append('\n');
        }
    }

    private static void AppendCollapsed(StringBuilder text, string data)
    {
        foreach (var c in data)
        {
            if (!char.IsWhiteSpace(c))
            {
                text.Append(c);
            }
            else if (text.Length > 0 && text[^1] is not (' ' or '\n'))
            {
                text.Append(' ');
            }
        }
    }
}
