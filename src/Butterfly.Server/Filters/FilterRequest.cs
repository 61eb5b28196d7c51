using System.Security.Cryptography;
using Butterfly.Mime;
using Butterfly.Server.Mail;
using ProtocolCommands = Butterfly.Protocol.Contracts.Commands;

namespace Butterfly.Server.Filters;

/// <summary>Builds the head of a <c>filter.message</c> request (protocol/filter.md, "filter.message").</summary>
internal static class FilterRequest
{
    /// <summary>The head for one message at one stage.</summary>
    /// <param name="stage">The stage.</param>
    /// <param name="envelope">The envelope (recipients as they stand in the chain).</param>
    /// <param name="message">The raw message, for its size.</param>
    /// <param name="parsed">The parsed message, for the summary; null when it cannot be parsed.</param>
    public static byte[] Build(FilterStage stage, Envelope envelope, ReadOnlyMemory<byte> message, MimeMessage? parsed)
    {
        Span<byte> id = stackalloc byte[8];
        RandomNumberGenerator.Fill(id);
        var state = (Id: Convert.ToHexStringLower(id), Stage: StageName(stage), Envelope: envelope, Size: message.Length, Parsed: parsed);
        return FilterJson.Write(state, static (w, s) =>
        {
            w.WriteString("cmd", ProtocolCommands.FilterMessage);
            w.WriteString("id", s.Id);
            w.WriteString("stage", s.Stage);
            w.WriteStartObject("envelope");
            w.WriteString("sender", s.Envelope.Sender);
            w.WriteStartArray("recipients");
            foreach (var recipient in s.Envelope.Recipients)
            {
                w.WriteStringValue(recipient);
            }

            w.WriteEndArray();
            w.WriteString("origin", s.Envelope.Origin switch
            {
                MessageOrigin.Local => "local",
                MessageOrigin.Peer => "peer",
                _ => "filter",
            });
            w.WriteString("account", s.Envelope.Account);
            w.WriteString("peer", s.Envelope.PeerDomain);
            w.WriteNumber("hops", s.Envelope.Hops);
            w.WriteEndObject();
            w.WriteStartObject("summary");
            w.WriteString("from", s.Parsed?.Headers.GetFirst("From")?.DecodedValue);
            w.WriteStartArray("to");
            foreach (var to in s.Parsed?.To ?? [])
            {
                w.WriteStringValue(to.Address);
            }

            w.WriteEndArray();
            w.WriteString("subject", s.Parsed?.Subject);
            w.WriteString("messageId", s.Parsed?.MessageId);
            w.WriteNumber("size", s.Size);
            w.WriteEndObject();
        });
    }

    /// <summary>The wire name of a stage.</summary>
    public static string StageName(FilterStage stage) => stage switch
    {
        FilterStage.Inbound => "inbound",
        FilterStage.Outbound => "outbound",
        _ => "claim",
    };
}
