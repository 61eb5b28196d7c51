using Butterfly.Client.Internal;
using Butterfly.Protocol.Contracts;

namespace Butterfly.Client;

/// <summary>Typed helpers for the session commands: register, login, logout, ping.</summary>
public sealed partial class ButterflyClient
{
    private static readonly byte[] _pingHead = HeadWriter.Command(Commands.Ping);
    private static readonly byte[] _logoutHead = HeadWriter.Command(Commands.Logout);

    /// <summary>The pre-encoded head of a <c>ping</c> request, for load tools.</summary>
    public static ReadOnlyMemory<byte> PingHead => _pingHead;

    /// <summary>Logs in (protocol/client.md, "login").</summary>
    /// <param name="user">The account address.</param>
    /// <param name="password">The password.</param>
    /// <param name="ct">Cancels the wait.</param>
    /// <exception cref="ButterflyException">For example <c>auth.failed</c>.</exception>
    public Task LoginAsync(string user, string password, CancellationToken ct = default) =>
        CommandAsync(HeadWriter.Build(Commands.Login, (user, password), static (w, s) =>
        {
            w.WriteString("user"u8, s.user);
            w.WriteString("password"u8, s.password);
        }), default, ct);

    /// <summary>Creates an account and logs in (only when the server allows open registration).</summary>
    /// <param name="user">The new account's address.</param>
    /// <param name="password">Its password (at least 8 characters).</param>
    /// <param name="ct">Cancels the wait.</param>
    /// <exception cref="ButterflyException">For example <c>register.disabled</c> or <c>account.exists</c>.</exception>
    public Task RegisterAsync(string user, string password, CancellationToken ct = default) =>
        CommandAsync(HeadWriter.Build(Commands.Register, (user, password), static (w, s) =>
        {
            w.WriteString("user"u8, s.user);
            w.WriteString("password"u8, s.password);
        }), default, ct);

    /// <summary>Logs out; the session goes back to the connected state.</summary>
    /// <param name="ct">Cancels the wait.</param>
    public Task LogoutAsync(CancellationToken ct = default) => CommandAsync(_logoutHead, default, ct);

    /// <summary>Sends a no-op request and waits for its reply.</summary>
    /// <param name="ct">Cancels the wait.</param>
    public Task PingAsync(CancellationToken ct = default) => CommandAsync(_pingHead, default, ct);

    /// <summary>Sends a request and throws <see cref="ButterflyException"/> on an error reply.</summary>
    private async Task<ButterflyReply> CommandAsync(ReadOnlyMemory<byte> head, ReadOnlyMemory<byte> body, CancellationToken ct)
    {
        var reply = await RequestAsync(head, body, null, ct);
        return reply.EnsureOk();
    }
}
