using Butterfly.Protocol.Errors;

namespace Butterfly.Client;

/// <summary>
/// A logged-in client that survives a lost connection for the commands that change mail: <c>send</c>
/// and <c>message.store</c> carry a submission id, and when no reply comes (the connection dropped,
/// the server restarted, the request timed out, the server was busy), the client reconnects, logs in
/// again and sends the same request with the same id, as <see cref="SubmissionRetryPolicy"/> allows.
/// The server answers a repeated id with the first answer and stores nothing new, so the message is
/// stored exactly once (protocol/client.md, "Submission ids"). Other commands go through
/// <see cref="Client"/>, the connection of the moment.
/// </summary>
/// <remarks>The password is kept in memory for the next login, as long as this object lives.</remarks>
public sealed class ReconnectingClient : IAsyncDisposable
{
    private readonly Func<CancellationToken, Task<ButterflyClient>> _connect;
    private readonly string _user;
    private readonly string _password;
    private readonly SubmissionRetryPolicy _policy;
    private readonly SemaphoreSlim _reconnecting = new(1, 1);
    private ButterflyClient _client;
    private int _reconnects;
    private bool _disposed;

    /// <summary>Takes over a connection that is logged in already.</summary>
    /// <param name="client">The logged-in connection; this object disposes it.</param>
    /// <param name="connect">Opens a new connection (hello done, not logged in), with the same settings.</param>
    /// <param name="user">The account, to log in again.</param>
    /// <param name="password">Its password.</param>
    /// <param name="policy">How often and how fast to retry; the defaults when null.</param>
    public ReconnectingClient(ButterflyClient client, Func<CancellationToken, Task<ButterflyClient>> connect, string user, string password, SubmissionRetryPolicy? policy = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(connect);
        _client = client;
        _connect = connect;
        _user = user;
        _password = password;
        _policy = policy ?? new SubmissionRetryPolicy();
        ArgumentOutOfRangeException.ThrowIfLessThan(_policy.MaxAttempts, 1, nameof(policy));
    }

    /// <summary>The connection of the moment (replaced after a reconnect).</summary>
    public ButterflyClient Client => Volatile.Read(ref _client);

    /// <summary>How many times a new connection was opened and logged in after one was lost.</summary>
    public int Reconnects => Volatile.Read(ref _reconnects);

    /// <summary>Connects to <c>host:port</c>, logs in, and returns a client that reconnects by itself.</summary>
    /// <param name="endpoint">The server address (<see cref="ButterflyEndpoint"/>).</param>
    /// <param name="user">The account.</param>
    /// <param name="password">Its password.</param>
    /// <param name="options">Connection settings, used for every connection; defaults when null.</param>
    /// <param name="policy">How often and how fast to retry; the defaults when null.</param>
    /// <param name="ct">Cancels the connect and login.</param>
    public static async Task<ReconnectingClient> ConnectAsync(string endpoint, string user, string password, ButterflyClientOptions? options = null, SubmissionRetryPolicy? policy = null, CancellationToken ct = default)
    {
        var parsed = ButterflyEndpoint.Parse(endpoint);
        Task<ButterflyClient> Connect(CancellationToken c) => ButterflyClient.ConnectAsync(parsed.Host, parsed.Port, options, c);
        var client = await LoginAsync(Connect, user, password, ct);
        return new ReconnectingClient(client, Connect, user, password, policy);
    }

    /// <summary>Sends a message under its submission id (a new one when the request has none), retrying as the policy allows.</summary>
    /// <param name="request">The message.</param>
    /// <param name="ct">Cancels the attempts and the waits between them (the message may still have been stored).</param>
    /// <exception cref="ButterflyException">The server refused the message (e.g. <c>recipient.unknown</c>), or the login failed.</exception>
    /// <exception cref="ButterflyConnectionException">No attempt got a reply (also <see cref="TimeoutException"/>).</exception>
    public Task<SendResult> SendAsync(SendRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = request.SubmissionId ?? SubmissionIds.New();
        return RetryAsync((client, c) => client.SendAsync(request, id, c), ct);
    }

    /// <summary>Appends a message to a folder under a submission id (a new one when null), retrying as the policy allows.</summary>
    /// <param name="folder">The folder.</param>
    /// <param name="message">The RFC 5322 bytes.</param>
    /// <param name="flags">Flags to set.</param>
    /// <param name="submissionId">The submission id; null for a new one.</param>
    /// <param name="ct">Cancels the attempts and the waits between them.</param>
    /// <returns>The message id (the first append's, for a repeated id).</returns>
    public Task<long> StoreAsync(string folder, ReadOnlyMemory<byte> message, IEnumerable<string>? flags = null, string? submissionId = null, CancellationToken ct = default)
    {
        var id = submissionId ?? SubmissionIds.New();
        return RetryAsync((client, c) => client.StoreAsync(folder, message, flags, id, c), ct);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _reconnecting.WaitAsync();
        try
        {
            _disposed = true;
            await _client.DisposeAsync();
        }
        finally
        {
            _reconnecting.Release();
        }
    }

    /// <summary>An attempt that got no answer, or a "try again" answer; anything else is final.</summary>
    private static bool IsTransient(Exception ex) =>
        ex is ButterflyConnectionException or TimeoutException
        || ex is ButterflyException { Error: ErrorCode.ServerBusy or ErrorCode.ServerShuttingDown };

    private static async Task<ButterflyClient> LoginAsync(Func<CancellationToken, Task<ButterflyClient>> connect, string user, string password, CancellationToken ct)
    {
        var client = await connect(ct);
        try
        {
            await client.LoginAsync(user, password, ct);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    private async Task<T> RetryAsync<T>(Func<ButterflyClient, CancellationToken, Task<T>> submit, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var client = await ConnectedAsync(ct);
                return await submit(client, ct);
            }
            catch (Exception ex) when (attempt < _policy.MaxAttempts && IsTransient(ex) && !ct.IsCancellationRequested)
            {
                await Task.Delay(_policy.DelayAfter(attempt), ct);
            }
        }
    }

    /// <summary>The open connection, or a new one logged in; callers that find it lost together share one reconnect.</summary>
    private async Task<ButterflyClient> ConnectedAsync(CancellationToken ct)
    {
        var current = Client;
        if (current.IsConnected)
        {
            return current;
        }

        await _reconnecting.WaitAsync(ct);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            current = _client;
            if (current.IsConnected)
            {
                return current;
            }

            var fresh = await LoginAsync(_connect, _user, _password, ct);
            await current.DisposeAsync();
            Volatile.Write(ref _client, fresh);
            Interlocked.Increment(ref _reconnects);
            return fresh;
        }
        finally
        {
            _reconnecting.Release();
        }
    }
}
