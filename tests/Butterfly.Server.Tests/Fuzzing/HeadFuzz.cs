using System.Buffers;
using System.Text.Json;
using Butterfly.Protocol.Connections;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Commands;
using Butterfly.Server.Configuration;
using Butterfly.Server.Wire;

namespace Butterfly.Server.Tests.Fuzzing;

/// <summary>
/// Fuzz target for the JSON head decoding a request goes through before its command runs
/// (Session.Dispatch: refuse text that is not Unicode, parse, classify a parse failure, read
/// <c>cmd</c>, look the command up),
/// the field readers the commands use, and the head scanners of Butterfly.Protocol
/// (<see cref="FrameHeads"/>). Any exception is a bug: a bad head must become an error value.
/// </summary>
public static class HeadFuzz
{
    private static readonly int _maxDepth = new LimitOptions().MaxJsonDepth;
    private static readonly JsonDocumentOptions _options = new() { MaxDepth = _maxDepth };
    private static readonly string[] _fieldNames = ["cmd", "user", "password", "folder", "name", "id", "to", "flags", "subject", "message", "code", "version"];

    /// <summary>Runs one input (the head bytes).</summary>
    /// <param name="data">Arbitrary bytes.</param>
    public static void Fuzz(ReadOnlySpan<byte> data)
    {
        var bytes = data.ToArray();
        var head = new ReadOnlySequence<byte>(bytes);
        _ = FrameHeads.Classify(head);
        _ = FrameHeads.TryScanReply(bytes, out _, out _, out _);

        // Session.Dispatch answers malformed-json here; past this point nothing may throw.
        if (JsonErrors.TextProblem(bytes) is not null)
        {
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, _options);
        }
        catch (JsonException)
        {
            var code = JsonErrors.Classify(head, _maxDepth);
            if (code is not (ErrorCode.RequestMalformedJson or ErrorCode.RequestTooDeep))
            {
                throw new InvalidOperationException($"A parse failure classified as {code}.");
            }

            return;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            if (root.TryGetProperty("cmd"u8, out var cmd) && cmd.ValueKind == JsonValueKind.String)
            {
                _ = CommandTable.TryGet(cmd.GetString()!, out _);
            }

            // Every field reader on the names commands read, whatever their values.
            foreach (var name in _fieldNames)
            {
                _ = Fields.TryString(root, name, out _, out _);
                _ = Fields.TryBool(root, name, out _, out _);
                _ = Fields.TryLong(root, name, out _, out _);
                _ = Fields.TryStrings(root, name, 100, out _, out _);
            }

            _ = Fields.TryIds(root, out _, out _);
        }
    }
}
