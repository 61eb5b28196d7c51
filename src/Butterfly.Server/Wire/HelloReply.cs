using System.Text.Json;
using Butterfly.Protocol.Contracts;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Configuration;

namespace Butterfly.Server.Wire;

/// <summary>
/// The answer to <c>hello</c>, the same on the client and the filter socket (protocol/client.md,
/// "hello"; protocol/filter.md, "Hello"): only the capabilities and the connection id differ.
/// </summary>
internal static class HelloReply
{
    /// <summary>Checks the request's <c>version</c> and builds the reply.</summary>
    /// <param name="head">The request head.</param>
    /// <param name="options">The configuration: server name, domains and limits.</param>
    /// <param name="capabilities">What this connection may do (<c>send</c>, <c>store</c>, <c>filter</c>, ...).</param>
    /// <param name="connectionId">The connection's id for dialback (protocol/peer.md, "Connection id"), or null.</param>
    public static Reply Answer(JsonElement head, ButterflyOptions options, IReadOnlyList<string> capabilities, string? connectionId)
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

        return JsonReply.Ok((options, capabilities, connectionId), static (w, s) =>
        {
            var o = s.options;
            w.WriteNumber("version", ProtocolVersion.Current);
            w.WriteString("server", ServerInfo.Product(o));
            w.WriteStartArray("domains");
            foreach (var domain in o.Domains)
            {
                w.WriteStringValue(domain);
            }

            w.WriteEndArray();
            w.WriteStartArray("capabilities");
            foreach (var capability in s.capabilities)
            {
                w.WriteStringValue(capability);
            }

            w.WriteEndArray();
            if (s.connectionId is not null)
            {
                // peer.md, "Connection id": dialback keys are bound to it.
                w.WriteString("connection", s.connectionId);
            }

            w.WriteStartObject("limits");
            w.WriteNumber("maxFrameBytes", o.Limits.MaxFrameBytes);
            w.WriteNumber("maxMessageBytes", o.Limits.MaxMessageBytes);
            w.WriteNumber("maxHeadBytes", o.Limits.MaxHeadBytes);
            w.WriteNumber("maxRecipients", o.Limits.MaxRecipients);
            w.WriteNumber("maxInFlight", o.Limits.MaxInFlight);
            w.WriteNumber("maxHops", o.Limits.MaxHops);
            w.WriteEndObject();
        });
    }
}
