using System.Buffers;
using System.Text.Json;

namespace Butterfly.Protocol.Connections;

/// <summary>Reads the few top-level members of a head that routing and error handling need, without building a document.</summary>
public static class FrameHeads
{
    /// <summary>
    /// Tells a reply from a request on a connection where both sides send requests
    /// (protocol/filter.md, "Requests both ways"): a JSON object whose top level has <c>"ok"</c>
    /// before any <c>"cmd"</c> is a reply, any other object a request, and anything that is not
    /// a JSON object is malformed.
    /// </summary>
    /// <param name="head">The UTF-8 JSON head.</param>
    public static HeadKind Classify(in ReadOnlySequence<byte> head)
    {
        try
        {
            var reader = new Utf8JsonReader(head);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return HeadKind.Malformed;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("ok"u8))
                {
                    return HeadKind.Reply;
                }

                if (reader.ValueTextEquals("cmd"u8))
                {
                    return HeadKind.Request;
                }

                reader.Read();
                reader.Skip();
            }

            return reader.TokenType == JsonTokenType.EndObject ? HeadKind.Request : HeadKind.Malformed;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a name holding a lone surrogate escape cannot be compared.
            return HeadKind.Malformed;
        }
    }

    /// <summary>Reads the top-level <c>ok</c> (null when absent), <c>code</c> and <c>message</c> of a reply head.</summary>
    /// <param name="head">The UTF-8 JSON head.</param>
    /// <param name="ok">The value of <c>ok</c>, or null.</param>
    /// <param name="code">The error code, or null.</param>
    /// <param name="message">The error message, or null.</param>
    /// <returns>False when the head is not a JSON object.</returns>
    public static bool TryScanReply(ReadOnlySpan<byte> head, out bool? ok, out string? code, out string? message)
    {
        ok = null;
        code = null;
        message = null;
        try
        {
            var reader = new Utf8JsonReader(head);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    return true;
                }

                if (reader.ValueTextEquals("ok"u8))
                {
                    reader.Read();
                    ok = reader.TokenType switch
                    {
                        JsonTokenType.True => true,
                        JsonTokenType.False => false,
                        _ => null,
                    };
                }
                else if (reader.ValueTextEquals("code"u8))
                {
                    reader.Read();
                    code = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
                else if (reader.ValueTextEquals("message"u8))
                {
                    reader.Read();
                    message = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            return false;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string that is not valid UTF-8 or holds a lone surrogate.
            return false;
        }
    }
}
