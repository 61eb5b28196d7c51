using System.Net;
using System.Text;

namespace Butterfly.Mime.Internal;

/// <summary>
/// Reduces HTML to readable text: tags dropped, script/style/head skipped, block elements
/// become line breaks, entities decoded, runs of white space collapsed. Linear time.
/// </summary>
internal static class HtmlToText
{
    private static readonly string[] BlockTags =
    [
        "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "blockquote", "pre", "hr", "section", "article", "header", "footer",
    ];

    public static string Convert(string html)
    {
        var sb = new StringBuilder(html.Length / 2);
        int i = 0;
        bool space = false;
        while (i < html.Length)
        {
            char c = html[i];
            if (c == '<')
            {
                if (html.AsSpan(i).StartsWith("<!--", StringComparison.Ordinal))
                {
                    int endComment = html.IndexOf("-->", i + 4, StringComparison.Ordinal);
                    i = endComment < 0 ? html.Length : endComment + 3;
                    continue;
                }

                int close = html.IndexOf('>', i + 1);
                if (close < 0)
                {
                    break;
                }

                var inside = html.AsSpan(i + 1, close - i - 1);
                bool closing = inside.TrimStart().StartsWith("/");
                var tag = TagName(inside);
                i = close + 1;
                if (!closing && tag is "script" or "style" or "head" or "title")
                {
                    int end = html.IndexOf("</" + tag, i, StringComparison.OrdinalIgnoreCase);
                    i = end < 0 ? html.Length : end;
                    continue;
                }

                if (Array.IndexOf(BlockTags, tag) >= 0)
                {
                    TrimTrailingSpace(sb);
                    if (sb.Length > 0 && (tag == "br" || sb[^1] != '\n'))
                    {
                        sb.Append('\n');
                    }

                    space = false;
                }
                else if (tag.Length > 0)
                {
                    space |= tag is "td" or "th";
                }

                continue;
            }

            int next = html.IndexOf('<', i);
            if (next < 0)
            {
                next = html.Length;
            }

            var text = WebUtility.HtmlDecode(html[i..next]);
            foreach (var ch in text)
            {
                if (char.IsWhiteSpace(ch))
                {
                    space = true;
                    continue;
                }

                if (space && sb.Length > 0 && sb[^1] != '\n')
                {
                    sb.Append(' ');
                }

                space = false;
                sb.Append(ch);
            }

            i = next;
        }

        TrimTrailingSpace(sb);
        return sb.ToString().Trim('\n');
    }

    private static void TrimTrailingSpace(StringBuilder sb)
    {
        while (sb.Length > 0 && sb[^1] == ' ')
        {
            sb.Length--;
        }
    }

    private static string TagName(ReadOnlySpan<char> inside)
    {
        inside = inside.TrimStart();
        if (inside.StartsWith("/"))
        {
            inside = inside[1..];
        }

        int n = 0;
        while (n < inside.Length && char.IsAsciiLetterOrDigit(inside[n]))
        {
            n++;
        }

        return n == 0 ? string.Empty : inside[..n].ToString().ToLowerInvariant();
    }
}
