using System.Buffers;
using System.Net.Sockets;
using System.Text.Encodings.Web;
using System.Text.Json;
using Butterfly.Filters.Internal;

namespace Butterfly.Filters;

/// <summary>Runs a filter daemon: connects to the server's filter socket, registers, and answers requests.</summary>
public static class FilterHost
{
    private static readonly JsonWriterOptions _writerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Raised each time a connection has registered, with the filter's name. Prints nothing by itself.</summary>
    public static event Action<string>? Registered;

    /// <summary>
    /// Connects (waiting and retrying while the socket is absent or the server restarts), says hello,
    /// registers, and serves requests concurrently until <paramref name="ct"/> fires. A connection the
    /// server drops is opened again after <see cref="FilterClientOptions.ReconnectDelay"/>.
    /// </summary>
    /// <param name="options">The socket, the name, the stages, claims and actions.</param>
    /// <param name="handler">Decides each message.</param>
    /// <param name="ct">Stops the filter; returns normally then.</param>
    /// <exception cref="FilterRegistrationException">The server refused the registration.</exception>
    public static async Task RunAsync(FilterClientOptions options, FilterHandler handler, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        if (string.IsNullOrWhiteSpace(options.SocketPath) || string.IsNullOrWhiteSpace(options.Name))
        {
            throw new ArgumentException("SocketPath and Name are required.", nameof(options));
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var running = Enumerable.Range(0, Math.Max(1, options.Connections))
            .Select(_ => RunConnectionAsync(options, handler, stop.Token))
            .ToList();
        while (running.Count > 0)
        {
            var done = await Task.WhenAny(running);
            running.Remove(done);
            if (done.IsFaulted)
            {
                await stop.CancelAsync();
                await Task.WhenAll(running.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
                await done;
            }
        }
    }

    private static async Task RunConnectionAsync(FilterClientOptions options, FilterHandler handler, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            FilterConnection connection;
            try
            {
                connection = await FilterConnection.ConnectAsync(options.SocketPath, ct);
            }
            catch (SocketException)
            {
                // The server is not there (yet, or again): wait and retry.
                if (!await DelayAsync(options.ReconnectDelay, ct))
                {
                    return;
                }

                continue;
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await using (connection)
            {
                var context = new FilterContext(connection);
                var reading = connection.ReadLoopAsync((tag, head, body) => ServeAsync(connection, context, handler, tag, head, body, ct), ct);
                try
                {
                    await RegisterAsync(connection, options, ct);
                    Registered?.Invoke(options.Name);
                }
                catch (FilterRegistrationException)
                {
                    await connection.DisposeAsync();
                    await reading;
                    throw;
                }
                catch (FilterException)
                {
                    // Lost during hello or registration: connect again below.
                }
                catch (OperationCanceledException)
                {
                    // Stopping.
                }

                await reading;
            }

            if (!await DelayAsync(options.ReconnectDelay, ct))
            {
                return;
            }
        }
    }

    private static async Task RegisterAsync(FilterConnection connection, FilterClientOptions options, CancellationToken ct)
    {
        // filter.md, "Hello": the same hello as clients.
        var hello = JsonHeads.Write(w =>
        {
            w.WriteString("cmd", "hello");
            w.WriteNumber("version", 1);
            w.WriteString("client", options.ClientName ?? options.Name + "/1.0");
        });
        try
        {
            (await connection.RequestAsync(hello, ct)).Dispose();
        }
        catch (FilterException ex) when (ex.Code != "connection.lost")
        {
            throw new FilterRegistrationException(ex.Code, ex.Message);
        }

        // filter.md, "filter.register".
        var register = JsonHeads.Write(w =>
        {
            w.WriteString("cmd", "filter.register");
            w.WriteString("name", options.Name);
            WriteStrings(w, "stages", options.Stages);
            WriteStrings(w, "actions", options.Actions);
            WriteStrings(w, "claims", options.Claims);
            w.WriteNumber("maxInFlight", Math.Max(1, options.MaxInFlight));
        });
        try
        {
            (await connection.RequestAsync(register, ct)).Dispose();
        }
        catch (FilterException ex) when (ex.Code != "connection.lost")
        {
            throw new FilterRegistrationException(ex.Code, ex.Message);
        }
    }

    private static async Task ServeAsync(FilterConnection connection, FilterContext context, FilterHandler handler, ulong tag, JsonDocument head, byte[] body, CancellationToken ct)
    {
        var root = head.RootElement;
        var command = JsonHeads.String(root, "cmd");
        byte[] replyHead;
        ReadOnlyMemory<byte> replyBody = ReadOnlyMemory<byte>.Empty;
        if (command != "filter.message")
        {
            replyHead = Failure("request.unknown-command", $"This filter does not serve '{command}'.");
        }
        else
        {
            try
            {
                var message = MessageReader.Read(root, body);
                var verdict = await handler(message, context, ct);
                var bodyWriter = new ArrayBufferWriter<byte>();
                var headWriter = new ArrayBufferWriter<byte>(256);
                using (var w = new Utf8JsonWriter(headWriter, _writerOptions))
                {
                    w.WriteStartObject();
                    w.WriteBoolean("ok", true);
                    verdict.Write(w, bodyWriter);
                    w.WriteEndObject();
                }

                replyHead = headWriter.WrittenSpan.ToArray();
                replyBody = bodyWriter.WrittenMemory;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // filter.md, "Failures": an error reply makes the filter's failure policy apply.
                replyHead = Failure("filter.tempfail", "The filter failed: " + ex.Message);
            }
            catch (OperationCanceledException)
            {
                replyHead = Failure("filter.tempfail", "The filter is stopping.");
            }
        }

        try
        {
            await connection.SendAsync(tag, replyHead, replyBody);
        }
        catch (FilterException)
        {
            // The connection is gone; the server applies the failure policy to this request.
        }
    }

    private static byte[] Failure(string code, string message) => JsonHeads.Write(w =>
    {
        w.WriteBoolean("ok", false);
        w.WriteString("code", code);
        w.WriteString("message", message);
    });

    private static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }

        w.WriteEndArray();
    }

    private static async Task<bool> DelayAsync(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, ct);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
