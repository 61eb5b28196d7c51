using System.Security.Cryptography;
using Butterfly.Mime;
using Butterfly.Protocol.Contracts;
using Butterfly.Server.Mail;
using Butterfly.Server.Wire;

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
        var origin = envelope.Origin switch
        {
            MessageOrigin.Local => "local",
            MessageOrigin.Peer => "peer",
            MessageOrigin.Smtp => "smtp",
            _ => "filter",
        };
        var request = new FilterMessageRequest(
            Convert.ToHexStringLower(id),
            StageName(stage),
            new FilterEnvelopeDto(envelope.Sender, envelope.Recipients, origin, envelope.Account, envelope.PeerDomain, envelope.Hops),
            new FilterSummaryDto(
                parsed?.Headers.GetFirst("From")?.DecodedValue,
                [.. (parsed?.To ?? []).Select(a => a.Address)],
                parsed?.Subject,
                parsed?.MessageId,
                message.Length));
        return JsonReply.Serialize(request, ProtocolJson.Default.FilterMessageRequest);
    }

    /// <summary>The wire name of a stage.</summary>
    public static string StageName(FilterStage stage) => stage switch
    {
        FilterStage.Inbound => "inbound",
        FilterStage.Outbound => "outbound",
        _ => "claim",
    };
}
