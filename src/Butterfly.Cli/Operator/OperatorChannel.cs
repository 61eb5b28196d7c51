using System.Buffers;
using System.Net.Sockets;
using System.Text.Json;
using Butterfly.Cli.Commands;
using Butterfly.Protocol;
using Butterfly.Protocol.Contracts;
using Butterfly.Server.Configuration;
using Butterfly.Server.Control;
using Butterfly.Storage;

namespace Butterfly.Cli.Operator;

/// <summary>
/// Where an operator command (<c>user</c>, <c>queue</c>) is carried out: by the daemon that holds
/// the data folder, over its control socket, or, when no daemon holds it, on the store this
/// process opens while it holds the folder itself. Either way the command is the same JSON
/// request and reply (protocol/control.md), so what the CLI prints does not depend on which.
/// </summary>
internal sealed class OperatorChannel : IAsyncDisposable
{
    // How long to wait for a folder that is held but not served (another command working on it
    // directly, or a daemon between taking the folder and opening its socket) before giving up.
    private static readonly TimeSpan _waitForHolder = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan _retryInterval = TimeSpan.FromMilliseconds(100);

    private readonly Func<ReadOnlyMemory<byte>, CancellationToken, Task<ReadOnlyMemory<byte>>> _send;
    private readonly Func<ValueTask> _close;

    private OperatorChannel(Func<ReadOnlyMemory<byte>, CancellationToken, Task<ReadOnlyMemory<byte>>> send, Func<ValueTask> close)
    {
        _send = send;
        _close = close;
    }

    /// <summary>The domains served, as the hello reply names them (the daemon's, or the configuration's).</summary>
    public IReadOnlyList<string> Domains { get; private set; } = [];

    /// <summary>
    /// Reaches the daemon that holds the data folder of <paramref name="options"/>, or holds the
    /// folder and opens its store when no daemon does; then says hello.
    /// </summary>
    /// <param name="options">The configuration; its data folder is created when missing (<c>user add</c>).</param>
    /// <param name="ct">Cancels waiting.</param>
    /// <exception cref="CliFailure"><c>data.in-use</c>: the folder stays held by a process that does not answer.</exception>
    public static async Task<OperatorChannel> OpenAsync(ButterflyOptions options, CancellationToken ct)
    {
        var folder = options.ResolvedDataDirectory;
        var socketPath = ControlSocket.PathIn(folder);
        var deadline = DateTime.UtcNow + _waitForHolder;
        while (true)
        {
            UnauthorizedAccessException? cannotLock = null;
            try
            {
                if (DataFolderLock.TryAcquire(folder, out var held))
                {
                    // No daemon: a control.sock left here by one that crashed is not looked at.
                    return await HelloAsync(await DirectAsync(options, held, ct), ct);
                }
            }
            catch (UnauthorizedAccessException ex)
            {
                // Not this user's folder: the daemon's socket may still be open to it (root, or a widened mode).
                cannotLock = ex;
            }

            ControlSocketClient client;
            try
            {
                client = await ControlSocketClient.ConnectAsync(socketPath, ct);
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AccessDenied)
            {
                throw new CliFailure("io", $"Permission denied on {socketPath}: the control socket belongs to the daemon's user; run the command as that user (for example with sudo -u).");
            }
            catch (SocketException) when (cannotLock is not null)
            {
                throw cannotLock;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                // Held, but nobody answers yet: another command working on the store, or a daemon starting.
                await Task.Delay(_retryInterval, ct);
                continue;
            }
            catch (SocketException)
            {
                throw new CliFailure(
                    "data.in-use",
                    $"The data folder {folder} is held by another process (it locks {DataFolderLock.PathIn(folder)}) that does not answer on {socketPath}; "
                    + $"waited {_waitForHolder.TotalSeconds:0} s.");
            }

            return await HelloAsync(new OperatorChannel(async (head, token) => await client.RequestAsync(head, token), client.DisposeAsync), ct);
        }
    }

    /// <summary>
    /// Sends one command and returns its reply head; a failure reply is thrown as a
    /// <see cref="CliFailure"/> with the reply's code and message.
    /// </summary>
    /// <param name="command">The command, e.g. <c>user.add</c>.</param>
    /// <param name="fields">Writes the request's fields after <c>cmd</c>.</param>
    /// <param name="ct">Stops waiting.</param>
    public async Task<JsonElement> CallAsync(string command, Action<Utf8JsonWriter>? fields, CancellationToken ct)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("cmd"u8, command);
            fields?.Invoke(writer);
            writer.WriteEndObject();
        }

        var reply = await _send(buffer.WrittenMemory, ct);
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(reply);
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new CliFailure("connection", $"The reply to {command} is not JSON: {ex.Message}");
        }

        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("ok", out var ok) || ok.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            throw new CliFailure("connection", $"The reply to {command} has no \"ok\".");
        }

        if (ok.ValueKind == JsonValueKind.False)
        {
            throw new CliFailure(Text(root, "code") ?? "server.internal", Text(root, "message") ?? $"{command} failed.");
        }

        return root;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _close();

    private static async Task<OperatorChannel> DirectAsync(ButterflyOptions options, DataFolderLock held, CancellationToken ct)
    {
        IMailStore store;
        try
        {
            store = await MailStores.OpenAsync(options, null, ct);
        }
        catch
        {
            held.Dispose();
            throw;
        }

        var direct = new DirectControl(options, store);
        return new OperatorChannel(direct.ExecuteAsync, async () =>
        {
            // Pending writes are committed before the folder is let go.
            await store.DisposeAsync();
            held.Dispose();
        });
    }

    private static async Task<OperatorChannel> HelloAsync(OperatorChannel channel, CancellationToken ct)
    {
        try
        {
            var hello = await channel.CallAsync(ControlCommandNames.Hello, w =>
            {
                w.WriteNumber("version"u8, ProtocolVersion.Current);
                w.WriteString("client"u8, "butterfly/" + ButterflyVersion.Current);
            }, ct);
            channel.Domains = hello.TryGetProperty("domains", out var domains) && domains.ValueKind == JsonValueKind.Array
                ? [.. domains.EnumerateArray().Where(d => d.ValueKind == JsonValueKind.String).Select(d => d.GetString()!)]
                : [];
            return channel;
        }
        catch
        {
            await channel.DisposeAsync();
            throw;
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
