using System.Text.Json;
using Butterfly.Protocol.Contracts;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Configuration;

namespace Butterfly.Server.Wire;

/// <summary>
/// The answer to <c>hello</c>, one for every socket (protocol/client.md, "hello"; protocol/filter.md,
/// "Hello"; protocol/control.md, "hello"): the version check, then the protocol version, the
/// server and its domains, then what the socket adds.
/// </summary>
internal static class HelloAnswer
{
    /// <summary>The client and filter hello: capabilities, the connection id where there is one, and the limits.</summary>
    /// <param name="head">The request head.</param>
    /// <param name="options">The configuration: server name, domains and limits.</param>
    /// <param name="capabilities">What this connection may do (<c>send</c>, <c>store</c>, <c>filter</c>, ...).</param>
    /// <param name="connectionId">The connection's id for dialback (protocol/peer.md, "Connection id"), or null.</param>
    public static Reply Answer(JsonElement head, ButterflyOptions options, IReadOnlyList<string> capabilities, string? connectionId)
    {
        var limits = options.Limits;
        return Answer(head, options, reply => reply with
        {
            Capabilities = capabilities,
            Connection = connectionId,
            Limits = new HelloLimits(limits.MaxFrameBytes, limits.MaxMessageBytes, limits.MaxHeadBytes, limits.MaxRecipients, limits.MaxInFlight, limits.MaxHops),
        });
    }

    /// <summary>The version check, then the common members and what <paramref name="complete"/> adds.</summary>
    /// <param name="head">The request head.</param>
    /// <param name="options">The configuration.</param>
    /// <param name="complete">Adds the socket's own members to the common reply.</param>
    public static Reply Answer(JsonElement head, ButterflyOptions options, Func<HelloReply, HelloReply> complete)
    {
        if (head.TryGetProperty("version"u8, out var version) && version.ValueKind != JsonValueKind.Null)
        {
            if (version.ValueKind != JsonValueKind.Number || !version.TryGetInt64(out var number) || number < 0)
            {
                return Reply.Fail(ErrorCode.RequestInvalid, "Field \"version\" must be a whole number.");
            }

            if (number != ProtocolVersion.Current)
            {
                return Reply.Fail(
                    ErrorCode.HelloVersionUnsupported,
                    $"This server speaks protocol version {ProtocolVersion.Current}, not {number}.");
            }
        }

        var common = new HelloReply(ProtocolVersion.Current, ServerInfo.Product(options), options.Domains);
        return JsonReply.Ok(complete(common), ProtocolJson.Default.HelloReply);
    }
}
