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
internal static class HelloReply
{
    /// <summary>The client and filter hello: capabilities, the connection id where there is one, and the limits.</summary>
    /// <param name="head">The request head.</param>
    /// <param name="options">The configuration: server name, domains and limits.</param>
    /// <param name="capabilities">What this connection may do (<c>send</c>, <c>store</c>, <c>filter</c>, ...).</param>
    /// <param name="connectionId">The connection's id for dialback (protocol/peer.md, "Connection id"), or null.</param>
    public static Reply Answer(JsonElement head, ButterflyOptions options, IReadOnlyList<string> capabilities, string? connectionId) =>
        Answer(head, options, (options, capabilities, connectionId), static (w, s) =>
        {
            var o = s.options;
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

    /// <summary>Checks the request's <c>version</c> and builds the reply, with the fields <paramref name="rest"/> adds.</summary>
    /// <typeparam name="TState">State for <paramref name="rest"/>, to avoid closures.</typeparam>
    /// <param name="head">The request head.</param>
    /// <param name="options">The configuration: server name and domains.</param>
    /// <param name="state">The state.</param>
    /// <param name="rest">Writes this socket's own fields after <c>domains</c>.</param>
    public static Reply Answer<TState>(JsonElement head, ButterflyOptions options, TState state, Action<Utf8JsonWriter, TState> rest)
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

        return JsonReply.Ok((options, state, rest), static (w, s) =>
        {
            w.WriteNumber("version", ProtocolVersion.Current);
            w.WriteString("server", ServerInfo.Product(s.options));
            w.WriteStartArray("domains");
            foreach (var domain in s.options.Domains)
            {
                w.WriteStringValue(domain);
            }

            w.WriteEndArray();
            s.rest(w, s.state);
        });
    }
}
