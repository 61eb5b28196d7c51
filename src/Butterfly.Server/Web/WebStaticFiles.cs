using System.Collections.Frozen;
using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Headers;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

namespace Butterfly.Server.Web;

/// <summary>
/// The web client's files, embedded in this assembly from <c>Web/wwwroot/**</c> (resource names
/// <c>wwwroot/PATH</c>): read once at start, each with its content type, a strong ETag (SHA-256 of the bytes)
/// and a gzip copy when that is smaller. Nothing is read from disk, so the page works offline and matches
/// the build. <c>/</c> is <c>index.html</c>; there are no directory listings.
/// </summary>
internal sealed class WebStaticFiles
{
    private const string Prefix = "wwwroot/";

    private readonly FrozenDictionary<string, StaticFile> _files;

    private WebStaticFiles(FrozenDictionary<string, StaticFile> files) => _files = files;

    /// <summary>How many files there are.</summary>
    public int Count => _files.Count;

    /// <summary>Reads the embedded files of <paramref name="assembly"/>.</summary>
    /// <param name="assembly">The assembly holding them.</param>
    public static WebStaticFiles Load(Assembly assembly)
    {
        var types = new FileExtensionContentTypeProvider();
        types.Mappings[".mjs"] = "text/javascript";
        types.Mappings[".webmanifest"] = "application/manifest+json";
        var files = new Dictionary<string, StaticFile>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            var path = "/" + name[Prefix.Length..].Replace('\\', '/');
            var type = types.TryGetContentType(path, out var known) ? known : "application/octet-stream";
            if (type.StartsWith("text/", StringComparison.Ordinal) || type is "application/json" or "image/svg+xml" or "application/manifest+json")
            {
                type += "; charset=utf-8";
            }

            var etag = "\"" + Convert.ToBase64String(SHA256.HashData(bytes), 0, 18).Replace('+', '-').Replace('/', '_') + "\"";
            files[path] = new StaticFile(bytes, Gzip(bytes), type, etag);
        }

        if (files.TryGetValue("/index.html", out var index))
        {
            files["/"] = index;
        }

        return new WebStaticFiles(files.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <summary>Answers a GET or HEAD for a file: 200, 304 (If-None-Match), 404 or 405.</summary>
    /// <param name="context">The request.</param>
    public Task ServeAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            response.Headers.Allow = "GET, HEAD";
            return Task.CompletedTask;
        }

        if (!_files.TryGetValue(request.Path.Value ?? "/", out var file))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            response.ContentType = "text/plain; charset=utf-8";
            return HttpMethods.IsHead(request.Method) ? Task.CompletedTask : response.WriteAsync("Not found.\n");
        }

        response.Headers.ETag = file.ETag;

        // Checked again at every load (cheap with the ETag): a new build's files are seen at once.
        response.Headers.CacheControl = "no-cache";
        response.Headers.Vary = HeaderNames.AcceptEncoding;
        if (request.Headers.IfNoneMatch.Any(v => v is not null && (v.Contains(file.ETag, StringComparison.Ordinal) || v.Trim() == "*")))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        var body = file.Bytes;
        if (file.Gzipped is { } gzipped && AcceptsGzip(request))
        {
            response.Headers.ContentEncoding = "gzip";
            body = gzipped;
        }

        response.ContentType = file.ContentType;
        response.ContentLength = body.Length;
        return HttpMethods.IsHead(request.Method) ? Task.CompletedTask : response.Body.WriteAsync(body).AsTask();
    }

    private static bool AcceptsGzip(HttpRequest request) =>
        request.GetTypedHeaders().AcceptEncoding.Any(e => e.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase) && (e.Quality ?? 1) > 0);

    // Text compresses well and is most of the page's weight; images and fonts are compressed already.
    private static byte[]? Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(bytes);
        }

        return output.Length + 64 < bytes.Length ? output.ToArray() : null;
    }
}
