using Microsoft.AspNetCore.Http;

namespace Butterfly.Server.Web;

/// <summary>
/// The headers every web response carries, 404s and refusals included (protocol/websocket.md, "Headers"): a
/// Content-Security-Policy that allows only the page's own scripts and styles (no inline script, no eval, nothing
/// remote), no framing of the page, no MIME sniffing, no Referer.
/// </summary>
internal static class WebHeaders
{
    /// <summary>The page's Content-Security-Policy. <c>frame-src blob: about:</c> is for the message frame (srcdoc).</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; "
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
