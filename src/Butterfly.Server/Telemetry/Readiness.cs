using System.Globalization;
using Butterfly.Storage;
using Microsoft.AspNetCore.Http;

namespace Butterfly.Server.Telemetry;

/// <summary>
/// What <c>/healthz</c> answers: 200 <c>ready</c> while the store is open, the listeners are bound and the
/// data folder has room for new mail; otherwise 503 with the first reason it is not (README.md, "Watching it").
/// </summary>
internal sealed class Readiness(IMailStore store)
{
    private volatile bool _listening;
    private volatile bool _stopping;

    /// <summary>Every listener is bound (the server has started).</summary>
    public void Listening() => _listening = true;

    /// <summary>Shutdown has begun: new work is refused from now on.</summary>
    public void Stopping() => _stopping = true;

    /// <summary>Why the server is not ready, or null when it is.</summary>
    public string? Problem()
    {
        if (_stopping)
        {
            return "shutting down";
        }

        if (!_listening)
        {
            return "starting: the listeners are not bound yet";
        }

        if (!store.IsOpen)
        {
            return "the store is closed";
        }

        // Only the SQLite store measures its disk; PostgreSQL's server refuses writes itself when full.
        if (store is not MailStore local)
        {
            return null;
        }

        var room = local.Room;
        var floor = local.Options.MinFreeBytes;
        return room < floor
            ? string.Create(CultureInfo.InvariantCulture, $"storage full: {room} bytes of room in {local.Options.DataDirectory}, under store.minFreeBytes ({floor}); new mail is refused")
            : null;
    }

    /// <summary>Answers one <c>/healthz</c> request.</summary>
    public Task WriteAsync(HttpContext context)
    {
        var problem = Problem();
        context.Response.StatusCode = problem is null ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(problem is null ? "ready\n" : $"not ready: {problem}\n", context.RequestAborted);
    }
}
