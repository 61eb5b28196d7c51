using MimeKit;
using MimeKit.Text;

namespace Butterfly.Cli.Rendering;

/// <summary>
/// The part or parts a reader sees as a message's text: the text/plain part when there is one, else
/// the text/html part; inside multipart/alternative the plain one wins, inside multipart/related the
/// root (its <c>start</c> parameter, else the first part) counts.
/// </summary>
internal sealed class MessageBody
{
    private readonly TextPart? _plain;
    private readonly TextPart? _html;

    private MessageBody(TextPart? plain, TextPart? html)
    {
        _plain = plain;
        _html = html;
    }

    /// <summary>Finds the text under <paramref name="entity"/> (the message's body).</summary>
    public static MessageBody Find(MimeEntity? entity)
    {
        TextPart? plain = null;
        TextPart? html = null;
        Visit(entity, ref plain, ref html);
        return new MessageBody(plain, html);
    }

    /// <summary>True for the parts shown as the text (and the HTML alternative a plain part stands for).</summary>
    public bool Uses(MimeEntity part) => ReferenceEquals(part, _plain) || ReferenceEquals(part, _html);

    /// <summary>The readable text: the plain part (format=flowed unwrapped), else the HTML part as text.</summary>
    public string Text()
    {
        if (_plain is not null)
        {
            var text = _plain.Text ?? string.Empty;
            return _plain.IsFlowed
                ? new FlowedToText { DeleteSpace = string.Equals(_plain.ContentType.Parameters["delsp"], "yes", StringComparison.OrdinalIgnoreCase) }.Convert(text)
                : text;
        }

        return _html is null ? string.Empty : HtmlText.Convert(_html.Text ?? string.Empty);
    }

    private static void Visit(MimeEntity? entity, ref TextPart? plain, ref TextPart? html)
    {
        switch (entity)
        {
            case TextPart text when !text.IsAttachment:
                if (text.IsHtml)
                {
                    html ??= text;
                }
                else if (text.IsPlain || text.IsFlowed)
                {
                    plain ??= text;
                }

                break;
            case MultipartRelated related:
                var root = related.Root ?? (related.Count > 0 ? related[0] : null);
                Visit(root, ref plain, ref html);
                break;
            case Multipart multipart:
                foreach (var child in multipart)
                {
                    if (plain is not null)
                    {
                        return;
                    }

                    // In multipart/mixed the first readable part is the text; what follows is attached.
                    if (multipart is not MultipartAlternative && (plain ?? (MimeEntity?)html) is not null)
                    {
                        return;
                    }

                    Visit(child, ref plain, ref html);
                }

                break;
        }
    }
}
