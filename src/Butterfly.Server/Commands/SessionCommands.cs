using Butterfly.Protocol.Contracts;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Mail;
using Butterfly.Server.Telemetry;
using Butterfly.Server.Wire;
using Butterfly.Storage;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Commands;

/// <summary>hello, login, register, logout, ping (protocol/client.md).</summary>
internal static class SessionCommands
{
    /// <summary>Shortest password accepted at registration.</summary>
    public const int MinPasswordLength = 8;

    public static ValueTask<Reply> HelloAsync(CommandContext context)
    {
        var options = context.Services.Options;
        string[] capabilities = (options.Registration.Open, options.Federation.Enabled) switch
        {
            (true, true) => ["send", "store", "register", "peer"],
            (true, false) => ["send", "store", "register"],
            (false, true) => ["send", "store", "peer"],
            _ => ["send", "store"],
        };
        return ValueTask.FromResult(HelloAnswer.Answer(context.Head, options, capabilities, context.Session.ConnectionId));
    }

    public static ValueTask<Reply> PingAsync(CommandContext context) => ValueTask.FromResult(Reply.Ok);

    public static async ValueTask<Reply> LoginAsync(CommandContext context)
    {
        // protocol/websocket.md, "The session token": a token instead of the password, never both.
        var withToken = context.Head.TryGetProperty("token"u8, out _);
        if (withToken && context.Head.TryGetProperty("password"u8, out _))
        {
            return Reply.Fail(ErrorCode.RequestInvalid, "login takes \"password\" or \"token\", not both.");
        }

        if (!Fields.TryString(context.Head, "user", out var user, out var error)
            || !Fields.TryString(context.Head, withToken ? "token" : "password", out var secret, out error))
        {
            return error;
        }

        var services = context.Services;
        var source = SourceKey.Parse(context.Session.RemoteAddress);

        // The failure penalty is waited out before the password is hashed, so that guesses waiting
        // hold no hashing slot; it depends only on earlier failures, never on this password.
        var penalties = services.LoginPenalties;
        var (wait, suspect) = penalties.WaitBefore(source, user);
        if (wait > TimeSpan.Zero)
        {
            ButterflyMetrics.AuthPenalties.Add(1);
            ButterflyMetrics.AuthPenaltyWait.Record(wait.TotalSeconds);
            services.Logger.LogDebug("Login for {User} from {Remote} waits {Wait:0.###} s (failure penalty)", Sanitize(user), context.Session.RemoteEndPoint, wait.TotalSeconds);
            await Task.Delay(wait, penalties.Time, context.Aborted);
        }

        // The store burns a hash for unknown addresses too, so every failure costs the same. An account
        // on a domain no longer served here does not log in. A token costs one SHA-256 and a read.
        StoreResult<Account> authenticated;
        byte[]? tokenHash = null;
        if (withToken)
        {
            authenticated = await TokenCommands.CheckAsync(services.Store, user, secret, hash => tokenHash = hash, context.Aborted);
        }
        else if (suspect)
        {
            await penalties.SuspectLane.WaitAsync(context.Aborted);
            try
            {
                authenticated = await services.Store.Accounts.AuthenticateAsync(user, secret);
            }
            finally
            {
                penalties.SuspectLane.Release();
            }
        }
        else
        {
            authenticated = await services.Store.Accounts.AuthenticateAsync(user, secret);
        }

        if (authenticated.Error == StoreError.Busy)
        {
            // protocol/client.md, "login": too many password checks wait already; the session stays open.
            ButterflyMetrics.AuthFailures.Add(1, new KeyValuePair<string, object?>("reason", "busy"));
            services.Logger.LogWarning("Login for {User} from {Remote} refused: the password hashing queue is full", Sanitize(user), context.Session.RemoteEndPoint);
            return StoreErrors.Fail(authenticated);
        }

        var account = authenticated.Value;
        if (account is not null && (!Addresses.TryNormalize(account.Address, out _, out var domain) || !services.Options.IsLocalDomain(domain)))
        {
            account = null;
        }

        if (account is null)
        {
            var (failures, next) = penalties.Failed(source, user);
            ButterflyMetrics.AuthFailures.Add(1, new KeyValuePair<string, object?>("reason", withToken ? "token" : "password"));
            services.Logger.LogWarning(
                "Failed login for {User} from {Remote} (failure {Failures} from {Source}; the next attempt waits {Next:0.###} s)",
                Sanitize(user),
                context.Session.RemoteEndPoint,
                failures,
                source,
                next.TotalSeconds);
            return Reply.Fail(ErrorCode.AuthFailed);
        }

        penalties.Succeeded(source, user);
        var sessionAccount = new SessionAccount(account.Id, account.Address);
        if (tokenHash is not null)
        {
            sessionAccount.AddToken(tokenHash);
        }

        context.Session.SetAccount(sessionAccount);
        services.Logger.LogDebug("{User} logged in from {Remote}", account.Address, context.Session.RemoteEndPoint);
        return UserReply(account.Address);
    }

    public static async ValueTask<Reply> RegisterAsync(CommandContext context)
    {
        var services = context.Services;
        if (!services.Options.Registration.Open)
        {
            return Reply.Fail(ErrorCode.RegisterDisabled);
        }

        if (!Fields.TryString(context.Head, "user", out var user, out var error)
            || !Fields.TryString(context.Head, "password", out var password, out error))
        {
            return error;
        }

        if (!Addresses.TryNormalize(user, out var address, out var domain) || !services.Options.IsLocalDomain(domain))
        {
            return Reply.Fail(ErrorCode.AccountInvalidAddress, $"'{Sanitize(user)}' is not an address on {string.Join(", ", services.Options.Domains)}.");
        }

        if (password.Length < MinPasswordLength)
        {
            return Reply.Fail(ErrorCode.AccountWeakPassword);
        }

        var created = await services.Store.Accounts.CreateAsync(address, password);
        if (!created.Ok)
        {
            return StoreErrors.Fail(created);
        }

        var account = created.Value!;
        context.Session.SetAccount(new SessionAccount(account.Id, account.Address));
        services.Logger.LogInformation("Registered {User} from {Remote}", account.Address, context.Session.RemoteEndPoint);
        return UserReply(account.Address);
    }

    public static async ValueTask<Reply> LogoutAsync(CommandContext context)
    {
        // protocol/websocket.md: logging out ends the web session for good, not only this connection.
        if (context.Session.Account is { } account)
        {
            await TokenCommands.RevokeSessionTokensAsync(context.Session, account, all: false);
        }

        context.Session.SetAccount(null);
        context.Session.SetPeer(null);
        return Reply.Ok;
    }

    private static Reply UserReply(string address) => JsonReply.Ok(new UserReply(address), ProtocolJson.Default.UserReply);

    private static string Sanitize(string text) =>
        new(text.Take(128).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
