using System.Security.Cryptography;
using Butterfly.Protocol.Errors;

namespace Butterfly.Server.Wire;

/// <summary>
/// An unexpected failure answered as <c>server.internal</c> with an incident id that the one log
/// line about it also carries, so a user's report can be matched with the log (protocol/errors.md).
/// </summary>
internal static class Incidents
{
    /// <summary>A new incident id: 64 random bits as 16 hex characters.</summary>
    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>The <c>server.internal</c> reply naming <paramref name="incident"/>.</summary>
    /// <param name="incident">The id the log line carries.</param>
    public static Reply Fail(string incident) =>
        Reply.Fail(ErrorCode.ServerInternal, $"The server failed to carry out the request; nothing was changed (incident {incident}).");
}
