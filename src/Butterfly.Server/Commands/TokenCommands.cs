using System.Buffers.Text;
using System.Security.Cryptography;
using Butterfly.Protocol.Contracts;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Wire;
using Butterfly.Storage;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Commands;

/// <summary>
/// <c>auth.token</c>, <c>auth.revoke</c> and the token check of <c>login</c> (protocol/websocket.md, "The session
/// token"): a web page keeps a short-lived random token instead of the password, so that a reload logs in again.
/// Only the token's SHA-256 is stored; the token itself exists in the reply and in the browser.
/// </summary>
internal static class TokenCommands
{
    /// <summary>Random bytes in a token.</summary>
    public const int TokenBytes = 32;

    public static async ValueTask<Reply> CreateAsync(CommandContext context)
    {
        var services = context.Services;
        var token = RandomNumberGenerator.GetBytes(TokenBytes);
        var hash = SHA256.HashData(token);
        var now = DateTimeOffset.UtcNow;
        var expires = now + services.Options.Web.TokenLifetime;
        await services.Store.SessionTokens.CreateAsync(context.Account.Id, hash, now, expires, context.Aborted);
        context.Account.AddToken(hash);
        services.Logger.LogDebug("{User} made a web session token from {Remote}", context.Account.Address, context.Session.RemoteEndPoint);
        return JsonReply.Ok(new AuthTokenReply(Base64Url.EncodeToString(token), TruncateToSeconds(expires)), ProtocolJson.Default.AuthTokenReply);
    }

    public static async ValueTask<Reply> RevokeAsync(CommandContext context)
    {
        if (!Fields.TryBool(context.Head, "all", out var all, out var error))
        {
            return error;
        }

        var revoked = await RevokeSessionTokensAsync(context.Session, context.Account, all);
        return JsonReply.Ok(new AuthRevokeReply(revoked), ProtocolJson.Default.AuthRevokeReply);
    }

    /// <summary>Revokes the tokens <paramref name="account"/>'s session logged in with or made (or all of the account's).</summary>
    /// <param name="session">The session.</param>
    /// <param name="account">Its account.</param>
    /// <param name="all">Every token of the account, not only this session's.</param>
    /// <returns>How many were removed.</returns>
    public static async Task<int> RevokeSessionTokensAsync(ICommandSession session, SessionAccount account, bool all)
    {
        var tokens = session.Services.Store.SessionTokens;
        var hashes = account.TokenHashes;
        var revoked = all
            ? await tokens.RevokeAllAsync(account.Id, session.Aborted)
            : hashes.Count == 0 ? 0 : await tokens.RevokeAsync(account.Id, hashes, session.Aborted);
        account.ClearTokens();
        return revoked;
    }

    /// <summary>
    /// The account <paramref name="token"/> logs <paramref name="user"/> in as, or a failure: a token that is not
    /// one, unknown, expired, revoked, or another account's is <see cref="StoreError.AuthenticationFailed"/>.
    /// </summary>
    /// <param name="store">The store.</param>
    /// <param name="user">The user named in the login.</param>
    /// <param name="token">The token as sent.</param>
    /// <param name="hash">Its SHA-256, when it decoded.</param>
    /// <param name="ct">Cancels the reads.</param>
    public static async Task<StoreResult<Account>> CheckAsync(IMailStore store, string user, string token, Action<byte[]> hash, CancellationToken ct)
    {
        var bytes = new byte[TokenBytes];
        if (token.Length != Base64Url.GetEncodedLength(TokenBytes)
            || !Base64Url.TryDecodeFromChars(token, bytes, out var written)
            || written != TokenBytes)
        {
            return StoreResult<Account>.Fail(StoreError.AuthenticationFailed, "Not a session token.");
        }

        var digest = SHA256.HashData(bytes);
        var owner = await store.SessionTokens.FindAsync(digest, DateTimeOffset.UtcNow, ct);
        var named = owner is null ? null : await store.Accounts.FindAsync(user, ct);
        if (owner is null || named is null || named.Id != owner.Id)
        {
            return StoreResult<Account>.Fail(StoreError.AuthenticationFailed, "Unknown, expired or revoked session token.");
        }

        hash(digest);
        return StoreResult<Account>.Success(owner);
    }

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset time) => new(time.Ticks - (time.Ticks % TimeSpan.TicksPerSecond), time.Offset);
}
