using System.Buffers;
using System.Text.Json;
using Butterfly.Protocol.Errors;

namespace Butterfly.Server.Wire;

/// <summary>Tells a head that is nested too deeply from one that is not JSON at all.</summary>
internal static class JsonErrors
{
    /// <summary>Runs only on the error path: re-reads the head with a generous depth to see what failed.</summary>
    /// <param name="head">The head bytes.</param>
    /// <param name="maxDepth">The configured depth limit.</param>
    public static ErrorCode Classify(in ReadOnlySequence<byte> head, int maxDepth)
    {
        var reader = new Utf8JsonReader(head, new JsonReaderOptions { MaxDepth = 4096 });
        try
        {
            while (reader.Read())
            {
                if (reader.CurrentDepth >= maxDepth)
                {
                    return ErrorCode.RequestTooDeep;
                }
            }

            return ErrorCode.RequestMalformedJson;
        }
        catch (JsonException)
        {
            return ErrorCode.RequestMalformedJson;
        }
    }
}
