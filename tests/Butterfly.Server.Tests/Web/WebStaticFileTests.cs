using System.Net;
using System.Net.Http.Headers;

namespace Butterfly.Server.Tests.Web;

/// <summary>The page on web.listen: embedded files, content types, ETags, and the security headers on every answer.</summary>
public sealed class WebStaticFileTests(WebDaemon fixture) : IClassFixture<WebDaemon>, IDisposable
{
    private readonly HttpClient _http = new(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None });

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Get_Root_ServesIndexHtmlWithSecurityHeaders()
    {
        using var response = await _http.GetAsync(fixture.Daemon.WebUrl);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Contains("<html", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        AssertSecurityHeaders(response);
        Assert.NotNull(response.Headers.ETag);

        using var index = await _http.GetAsync(new Uri(fixture.Daemon.WebUrl!, "/index.html"));
        Assert.Equal(response.Headers.ETag, index.Headers.ETag);
    }

    [Fact]
    public async Task Get_IfNoneMatchCurrentETag_NotModifiedWithoutBody()
    {
        using var first = await _http.GetAsync(fixture.Daemon.WebUrl);
        using var request = new HttpRequestMessage(HttpMethod.Get, fixture.Daemon.WebUrl);
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var second = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
        AssertSecurityHeaders(second);

        using var stale = new HttpRequestMessage(HttpMethod.Get, fixture.Daemon.WebUrl);
        stale.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"not-the-one\""));
        using var third = await _http.SendAsync(stale);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
    }

    [Theory]
    [InlineData("/nothing-here.js")]
    [InlineData("/../butterfly.json")]
    [InlineData("/data/butterfly.db")]
    [InlineData("/metrics")]
    public async Task Get_UnknownPath_NotFoundWithSecurityHeaders(string path)
    {
        using var response = await _http.GetAsync(new Uri(fixture.Daemon.WebUrl!, path));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task Post_Root_MethodNotAllowed()
    {
        using var response = await _http.PostAsync(fixture.Daemon.WebUrl, new StringContent("x"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task Get_AcceptsGzip_CompressedCopyOfSameFile()
    {
        using var plain = await _http.GetAsync(fixture.Daemon.WebUrl);
        var bytes = await plain.Content.ReadAsByteArrayAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, fixture.Daemon.WebUrl);
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        if (response.Content.Headers.ContentEncoding.Contains("gzip"))
        {
            using var gzip = new System.IO.Compression.GZipStream(new MemoryStream(body), System.IO.Compression.CompressionMode.Decompress);
            using var copy = new MemoryStream();
            await gzip.CopyToAsync(copy);
            Assert.Equal(bytes, copy.ToArray());
        }
        else
        {
            // A page too small to gain from compression is sent as it is.
            Assert.Equal(bytes, body);
        }
    }

    [Fact]
    public async Task Get_WsWithoutUpgrade_BadRequestWithSecurityHeaders()
    {
        using var response = await _http.GetAsync(new Uri(fixture.Daemon.WebUrl!, "/ws"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AssertSecurityHeaders(response);
    }

    internal static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("base-uri 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("form-action 'none'", csp, StringComparison.Ordinal);
        var scripts = csp.Split(';').Select(d => d.Trim()).Single(d => d.StartsWith("script-src ", StringComparison.Ordinal));
        Assert.Equal("script-src 'self'", scripts);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
    }
}
