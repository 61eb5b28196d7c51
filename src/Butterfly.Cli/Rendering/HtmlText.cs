using MimeKit.Text;

namespace Butterfly.Cli.Rendering;

/// <summary>
/// HTML to plain text for <c>read</c>, on MimeKit's HTML tokenizer (MimeKit converts text to HTML
/// but not back): text with entities decoded and white space collapsed, block elements on lines
/// of their own, list items as "- ", links as "text &lt;url&gt;", and nothing of head, script and style.
/// </summary>
internal static class HtmlText
{
    public static string Convert(string html)
    {
        var output = new HtmlTextBuffer();
        using var reader = new StringReader(html);
        var tokenizer = new HtmlTokenizer(reader) { DecodeCharacterReferences = true };
        var hidden = 0;
        var pre = 0;
        string? href = null;
        while (tokenizer.ReadNextToken(out var token))
        {
            switch (token)
            {
                case HtmlTagToken tag:
                    switch (tag.Id)
                    {
                        case HtmlTagId.Head or HtmlTagId.Script or HtmlTagId.Style or HtmlTagId.Title:
                            hidden += tag.IsEndTag ? -1 : tag.IsEmptyElement ? 0 : 1;
                            hidden = Math.Max(hidden, 0);
                            break;
                        case HtmlTagId.Pre:
                            pre = Math.Max(pre + (tag.IsEndTag ? -1 : 1), 0);
                            output.Break(2);
                            break;
                        case HtmlTagId.Br:
                            output.Break(1, force: true);
                            break;
                        case HtmlTagId.LI when !tag.IsEndTag:
                            output.Break(1);
                            output.Append("- ");
                            break;
                        case HtmlTagId.A when !tag.IsEndTag:
                            href = tag.Attributes.FirstOrDefault(a => a.Id == HtmlAttributeId.Href)?.Value;
                            break;
                        case HtmlTagId.A:
                            if (href is not null && href.StartsWith("http", StringComparison.OrdinalIgnoreCase) && !output.EndsWith(href))
                            {
                                output.Append(" <" + href + ">");
                            }

                            href = null;
                            break;
                        case HtmlTagId.P or HtmlTagId.H1 or HtmlTagId.H2 or HtmlTagId.H3 or HtmlTagId.H4 or HtmlTagId.H5 or HtmlTagId.H6
                            or HtmlTagId.BlockQuote or HtmlTagId.Table or HtmlTagId.HR:
                            output.Break(2);
                            break;
                        case HtmlTagId.Div or HtmlTagId.TR or HtmlTagId.UL or HtmlTagId.OL or HtmlTagId.Body or HtmlTagId.Html or HtmlTagId.Address:
                            output.Break(1);
                            break;
                        case HtmlTagId.TD or HtmlTagId.TH when !tag.IsEndTag:
                            output.Separate();
                            break;
                    }

                    break;
                case HtmlDataToken data when hidden == 0 && token.Kind == HtmlTokenKind.Data:
                    if (pre > 0)
                    {
                        output.AppendRaw(data.Data);
                    }
                    else
                    {
                        output.AppendCollapsed(data.Data);
                    }

                    break;
            }
        }

        return output.ToString();
    }
}
