using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Butterfly.Storage.Internal;
using Npgsql;

namespace Butterfly.Storage.Postgres;

/// <summary>
/// <see cref="PostgresMailStore.OnCommitted"/> across daemons (README.md, "Push across daemons"). A write
/// transaction that moved accounts' states tells this store's listeners right after its commit, and hands the
/// states to a publishing loop that sends them to every other store on the database with <c>pg_notify</c>: all
/// that waits in one go, on a connection of its own whose transactions do not wait for the disk (a notification
/// is not data). Not inside the write transaction: PostgreSQL serializes every transaction that notifies, from
/// its notification until after its commit has been flushed, which took away the concurrent deliveries' shared
/// flush (tests/bench/pg-notify.sh). The price: a daemon that dies between a commit and its notification leaves
/// the other daemons' sessions to learn of that change with the account's next one.
/// Each store listens on one connection of its own, opened with the first listener; it ignores its own
/// notifications (its listeners heard them already). After that connection is (re)established it reads every
/// account's state and tells the listeners, since notifications sent while it was down are lost: a listener may
/// hear a state twice, never miss one.
/// </summary>
internal sealed class PgCommitFeed : IAsyncDisposable
{
    /// <summary>The channel every store of a database notifies and listens on.</summary>
    public const string Channel = "butterfly_commits";

    // PostgreSQL refuses payloads of 8000 bytes or more; the rest of a commit's states go in further notifications.
    internal const int MaxPayloadBytes = 7900;

    private static readonly TimeSpan _idleCheck = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan _firstBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan _maxBackoff = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan _drainOnClose = TimeSpan.FromSeconds(2);

    private readonly string _listenString;
    private readonly string _publishString;
    private readonly string _instance;
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<IReadOnlyList<AccountState>> _outgoing =
        System.Threading.Channels.Channel.CreateUnbounded<IReadOnlyList<AccountState>>(new UnboundedChannelOptions { SingleReader = true });

    private readonly CommitListeners _listeners = new();
    private Task _listening = Task.CompletedTask;
    private Task _publishing = Task.CompletedTask;
    private int _started;
    private int _publishStarted;

    public PgCommitFeed(string connectionString, string instance)
    {
        // Connections of their own outside the pool, named so an operator (and the tests) can tell them apart. The
        // publishing one commits without waiting for the disk: that setting must never reach a pooled connection.
        var listen = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, ApplicationName = "butterfly listen " + instance };
        _listenString = listen.ConnectionString;
        var publish = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, ApplicationName = "butterfly notify " + instance };
        publish.Options = (publish.Options is { Length: > 0 } options ? options + " " : string.Empty) + "-c synchronous_commit=off";
        _publishString = publish.ConnectionString;
        _instance = instance;
    }

    /// <summary>Adds a listener; the first starts listening. Dispose the result to remove it.</summary>
    public IDisposable Add(Action<IReadOnlyList<AccountState>> listener)
    {
        var added = _listeners.Add(listener);
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _listening = Task.Run(ListenAsync);
        }

        return added;
    }

    /// <summary>
    /// A write committed and moved <paramref name="states"/>: tells this store's listeners now, and queues the
    /// states for the other stores (the publishing loop sends them, together with whatever else waits).
    /// </summary>
    public void Committed(IReadOnlyList<AccountState> states)
    {
        Announce(states);
        if (_outgoing.Writer.TryWrite(states) && Interlocked.Exchange(ref _publishStarted, 1) == 0)
        {
            _publishing = Task.Run(PublishAsync);
        }
    }

    /// <summary>Tells this store's listeners; each must return at once and a throwing one is ignored.</summary>
    private void Announce(IReadOnlyList<AccountState> states) => _listeners.Tell(states);

    /// <summary>The notification payloads for <paramref name="states"/>: the sender's id, then "account:modseq" pairs, each under the size limit.</summary>
    internal static List<string> Payloads(string instance, IReadOnlyList<AccountState> states)
    {
        var payloads = new List<string>();
        var text = new StringBuilder(instance);
        foreach (var state in states)
        {
            var pair = string.Create(CultureInfo.InvariantCulture, $" {state.AccountId}:{state.ModSeq}");
            if (text.Length > instance.Length && text.Length + pair.Length > MaxPayloadBytes)
            {
                payloads.Add(text.ToString());
                text.Clear().Append(instance);
            }

            text.Append(pair);
        }

        if (text.Length > instance.Length)
        {
            payloads.Add(text.ToString());
        }

        return payloads;
    }

    /// <summary>Reads a payload; null when another instance of this store sent it, or it is not one of ours.</summary>
    internal static List<AccountState>? Parse(string payload, string ownInstance)
    {
        var parts = payload.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2 || parts[0] == ownInstance)
        {
            return null;
        }

        var states = new List<AccountState>(parts.Length - 1);
        foreach (var part in parts.AsSpan(1))
        {
            var colon = part.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0
                || !long.TryParse(part.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var account)
                || !long.TryParse(part.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var modSeq))
            {
                return null;
            }

            states.Add(new AccountState(account, modSeq));
        }

        return states;
    }

    /// <summary>Sends what waits to be published (for a moment at most, if the server is away), stops listening and closes the connections.</summary>
    public async ValueTask DisposeAsync()
    {
        _outgoing.Writer.TryComplete();
        await Task.WhenAny(_publishing, Task.Delay(_drainOnClose)).ConfigureAwait(false);
        await _stop.CancelAsync().ConfigureAwait(false);
        await _publishing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _listening.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    /// <summary>
    /// Sends the states committed so far, everything waiting in one go (several commits to one account as its
    /// latest state), reconnecting with a growing pause when the server is away; the states wait meanwhile.
    /// </summary>
    private async Task PublishAsync()
    {
        var reader = _outgoing.Reader;
        var pending = new Dictionary<long, long>();
        var backoff = _firstBackoff;
        NpgsqlConnection? connection = null;
        try
        {
            while (await reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
            {
                Take(reader, pending);
                while (pending.Count > 0)
                {
                    try
                    {
                        if (connection is null)
                        {
                            connection = new NpgsqlConnection(_publishString);
                            await connection.OpenAsync(_stop.Token).ConfigureAwait(false);
                        }

                        var states = pending.Select(p => new AccountState(p.Key, p.Value)).ToArray();
                        foreach (var payload in Payloads(_instance, states))
                        {
                            await using var notify = new NpgsqlCommand("SELECT pg_notify(@c, @p)", connection);
                            notify.Parameters.AddWithValue("c", Channel);
                            notify.Parameters.AddWithValue("p", payload);
                            await notify.ExecuteNonQueryAsync(_stop.Token).ConfigureAwait(false);
                        }

                        pending.Clear();
                        backoff = _firstBackoff;
                    }
                    catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
                    {
                        // The connection broke: keep the states (and gather the ones that come meanwhile) and try again.
                        if (connection is not null)
                        {
                            await connection.DisposeAsync().ConfigureAwait(false);
                            connection = null;
                        }

                        await Task.Delay(backoff, _stop.Token).ConfigureAwait(false);
                        backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _maxBackoff.Ticks));
                        Take(reader, pending);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Closing with the server away: what was not sent is lost, as in a crash.
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static void Take(ChannelReader<IReadOnlyList<AccountState>> reader, Dictionary<long, long> pending)
    {
        while (reader.TryRead(out var states))
        {
            foreach (var state in states)
            {
                pending[state.AccountId] = Math.Max(state.ModSeq, pending.GetValueOrDefault(state.AccountId));
            }
        }
    }

    private async Task ListenAsync()
    {
        var backoff = _firstBackoff;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_listenString);
                await connection.OpenAsync(_stop.Token).ConfigureAwait(false);
                connection.Notification += (_, e) =>
                {
                    if (e.Channel == Channel && Parse(e.Payload, _instance) is { Count: > 0 } states)
                    {
                        Announce(states);
                    }
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(_stop.Token).ConfigureAwait(false);
                }

                // Listening from here on: what committed before (or while the connection was down) is read now.
                await AnnounceEveryStateAsync(connection).ConfigureAwait(false);
                backoff = _firstBackoff;
                while (true)
                {
                    if (!await connection.WaitAsync(_idleCheck, _stop.Token).ConfigureAwait(false))
                    {
                        // Nothing for a while: make sure the connection is still there (a silent network drop).
                        await using var ping = new NpgsqlCommand("SELECT 1", connection);
                        await ping.ExecuteScalarAsync(_stop.Token).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                // The connection broke (the server restarted, the backend was terminated, the network dropped):
                // connect again, waiting a little longer each time the server stays away.
            }

            try
            {
                await Task.Delay(backoff, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _maxBackoff.Ticks));
        }
    }

    private async Task AnnounceEveryStateAsync(NpgsqlConnection connection)
    {
        var states = new List<AccountState>();
        await using (var command = new NpgsqlCommand("SELECT id, modseq FROM accounts", connection))
        await using (var reader = await command.ExecuteReaderAsync(_stop.Token).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(_stop.Token).ConfigureAwait(false))
            {
                states.Add(new AccountState(reader.GetInt64(0), reader.GetInt64(1)));
            }
        }

        if (states.Count > 0)
        {
            Announce(states);
        }
    }
}
