using System.Text;
using AngleSharp.Css.Dom;
using AngleSharp.Dom;
using Ganss.Xss;

namespace Butterfly.Server.Mail;

/// <summary>
/// HTML mail made safe to show (protocol/client.md, "message.view"): HtmlSanitizer (AngleSharp's HTML and CSS
/// parsers) keeps formatting, tables, images and inline styles of safe properties, and drops scripts, event
/// handlers, forms, frames, objects, <c>meta</c>, <c>base</c>, <c>link</c> and SVG; URLs keep only http, https and
/// mailto for links, <c>data:</c> images, and remote images (<c>img</c>, CSS <c>url()</c>) only when the reader
/// asked for them. <c>cid:</c> images of the message become <c>data:</c> URIs. The result is a whole document whose
/// first head element is a Content-Security-Policy that runs no script and, without remote images, loads nothing.
/// </summary>
internal static class HtmlMailSanitizer
{
    /// <summary>The policy of a shown message: no script, inline styles, images from the message only.</summary>
    public const string LocalPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

    /// <summary>The policy once the reader asked for remote images.</summary>
    public const string RemotePolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data: https: http:";

    // Tags that take input, load or embed something, or script: none of them are shown.
    private static readonly string[] _droppedTags =
    [
        "form", "input", "button", "select", "option", "optgroup", "textarea", "datalist", "output", "fieldset", "legend", "label",
        "audio", "video", "source", "track", "picture", "map", "area", "iframe", "frame", "frameset", "object", "embed", "applet",
        "svg", "math", "link", "meta", "base", "script", "noscript", "template", "slot", "dialog", "portal",
    ];

    // Image types a data: URI may carry (an SVG image could hold script when opened by itself).
    private static readonly string[] _imageTypes = ["image/png", "image/gif", "image/jpeg", "image/jpg", "image/webp", "image/bmp", "image/x-icon"];

    /// <summary>Sanitizes <paramref name="html"/>.</summary>
    /// <param name="html">The message's HTML.</param>
    /// <param name="remoteImages">Keep http(s) images (the reader asked for them).</param>
    /// <param name="inlineImage">The <c>data:</c> URI of the message's part with a Content-ID, or null.</param>
    /// <returns>The document, and how many remote images were left out.</returns>
    public static (string Document, int BlockedImages) Sanitize(string html, bool remoteImages, Func<string, string?> inlineImage)
    {
        var sanitizer = new HtmlSanitizer();
        foreach (var tag in _droppedTags)
        {
            sanitizer.AllowedTags.Remove(tag);
        }

        // Mail puts its layout in <style> blocks: kept, their rules sanitized like style attributes.
        sanitizer.AllowedTags.Add("style");
        sanitizer.AllowedAtRules.Clear();
        sanitizer.AllowedAtRules.Add(CssRuleType.Style);
        sanitizer.AllowedAtRules.Add(CssRuleType.Media);
        sanitizer.AllowedAttributes.Add("class");
        sanitizer.AllowedAttributes.Remove("action");
        sanitizer.AllowedAttributes.Remove("formaction");
        sanitizer.AllowedAttributes.Remove("srcset");
        sanitizer.AllowedAttributes.Remove("ping");
        sanitizer.AllowedCssProperties.Remove("position");
        sanitizer.AllowedCssProperties.Remove("behavior");
        sanitizer.AllowedSchemes.Clear();
        sanitizer.AllowedSchemes.Add("http");
        sanitizer.AllowedSchemes.Add("https");
        sanitizer.AllowedSchemes.Add("mailto");
        sanitizer.AllowedSchemes.Add("data");
        sanitizer.AllowedSchemes.Add("cid");

        var blocked = 0;
        sanitizer.FilterUrl += (_, e) =>
        {
            var url = e.OriginalUrl.Trim();
            var isLink = e.Tag is IElement { LocalName: "a" };
            if (isLink)
            {
                // Links lead out (the page's sandbox decides whether they open); never to data: or cid:.
                e.SanitizedUrl = Scheme(url) is "http" or "https" or "mailto" ? e.SanitizedUrl : null;
                return;
            }

            switch (Scheme(url))
            {
                case "data":
                    e.SanitizedUrl = IsDataImage(url) ? url : null;
                    break;
                case "cid":
                    e.SanitizedUrl = inlineImage(Uri.UnescapeDataString(url[4..]));
                    break;
                case "http" or "https" when remoteImages:
                    break;
                case "http" or "https":
                    blocked++;
                    e.SanitizedUrl = null;
                    break;
                default:
                    e.SanitizedUrl = null;
                    break;
            }
        };
        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is IElement { LocalName: "a" } link && link.HasAttribute("href"))
            {
                link.SetAttribute("target", "_blank");
                link.SetAttribute("rel", "noopener noreferrer");
            }
        };
        sanitizer.PostProcessDom += (_, e) =>
        {
            // An image whose source was left out would show nothing but a broken-image mark.
            foreach (var image in e.Document.QuerySelectorAll("img:not([src])").ToList())
            {
                image.Remove();
            }
        };

        var body = sanitizer.Sanitize(html);
        var document = new StringBuilder(body.Length + 256)
            .Append("<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" content=\"")
            .Append(remoteImages ? RemotePolicy : LocalPolicy)
            .Append("\"><meta charset=\"utf-8\"></head><body>")
            .Append(body)
            .Append("</body></html>")
            .ToString();
        return (document, blocked);
    }

    private static string Scheme(string url)
    {
        var colon = url.IndexOf(':', StringComparison.Ordinal);
        return colon <= 0 ? string.Empty : url[..colon].ToLowerInvariant();
    }

    private static bool IsDataImage(string url)
    {
        var end = url.IndexOfAny([';', ',']);
        if (end < 0)
        {
            return false;
        }

        var type = url[5..end].Trim().ToLowerInvariant();
        return Array.IndexOf(_imageTypes, type) >= 0;
    }
}
