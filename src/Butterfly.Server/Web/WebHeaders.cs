using Microsoft.AspNetCore.Http;

namespace Butterfly.Server.Web;

/// <summary>
/// The headers every web response carries, 404s and refusals included (protocol/websocket.md, "Headers"): a
/// Content-Security-Policy that allows only the page's own scripts and styles (no inline script, no eval, nothing
/// remote), no framing of the page, no MIME sniffing, no Referer.
/// </summary>
internal static class WebHeaders
{
    /// <summary>
    /// The page's Content-Security-Policy. <c>frame-src blob: about:</c> is for the message frame (srcdoc). That frame
    /// inherits this policy (CSP3 policy containers) on top of its own meta policy, so the mail's inline styles and,
    /// once the reader asks, its remote images must pass here too: hence <c>style-src 'unsafe-inline'</c> and
    /// <c>img-src http: https:</c>. The frame's own policy (<c>img-src data:</c> until asked) is the one that limits the
    /// message; the page itself never turns message data into markup, and scripts stay <c>'self'</c> only.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: http: https:; connect-src 'self'; "
        + "frame-src 'self' blob: about:; child-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'none'; "
        + "frame-ancestors 'none'";

    /// <summary>Sets the headers on <paramref name="headers"/>.</summary>
    /// <param name="headers">A response's headers.</param>
    public static void AddTo(IHeaderDictionary headers)
    {
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
    }
}
