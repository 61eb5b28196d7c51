using Butterfly.Server.Configuration;
using Butterfly.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Butterfly.Server.Control;

/// <summary>
/// The control socket's commands on a store this process opened itself, for when no daemon holds
/// the data folder (the caller holds its <see cref="DataFolderLock"/>). Requests and replies are
/// the same JSON heads the socket carries (protocol/control.md), so a command's answer does not
/// depend on whether a daemon was running.
/// </summary>
public sealed class DirectControl
{
    private readonly ControlConversation _conversation;

    /// <summary>Serves the operator commands on <paramref name="store"/>.</summary>
    /// <param name="options">The configuration (served domains among others).</param>
    /// <param name="store">The store, opened by the caller while it holds the data folder.</param>
    public DirectControl(ButterflyOptions options, IMailStore store)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);

        // No daemon runs, so there is no queue worker to wake: it reads the queue when it starts.
        _conversation = new ControlConversation(new OperatorServices(options, store, NullLogger.Instance, static () => { }));
    }

    /// <summary>Answers one request head with the reply head the control socket would send.</summary>
    /// <param name="head">The request's UTF-8 JSON head, e.g. <c>{"cmd":"user.list"}</c>.</param>
    /// <param name="ct">Stops waiting for the store.</param>
    public async Task<ReadOnlyMemory<byte>> ExecuteAsync(ReadOnlyMemory<byte> head, CancellationToken ct = default) =>
        (await _conversation.ExecuteAsync(head, ct)).Head;
}
