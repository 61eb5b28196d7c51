using System.Text.Json;
using Butterfly.Server.Configuration;
using Butterfly.Server.Filters;

namespace Butterfly.Server.Tests.Fuzzing;

/// <summary>
/// Fuzz target for <see cref="VerdictParser"/>: the input is a verdict head, then optionally a
/// NUL byte and the reply body its offsets point into. The head is parsed as the filter
/// connection parses it; the parser must answer every head with a verdict or a problem, never
/// an exception, under every action set a filter may declare.
/// </summary>
public static class VerdictFuzz
{
    private static readonly JsonDocumentOptions _options = new() { MaxDepth = new LimitOptions().MaxJsonDepth };

    private static readonly IReadOnlySet<string>[] _actionSets =
    [
        new HashSet<string>(["accept", "reject", "tempfail", "discard", "quarantine", "file", "flags", "headers", "replace", "recipients", "inject"], StringComparer.Ordinal),
        new HashSet<string>(["accept", "reject"], StringComparer.Ordinal),
    ];

    /// <summary>Runs one input.</summary>
    /// <param name="data">Head bytes, optionally followed by a NUL and the body.</param>
    public static void Fuzz(ReadOnlySpan<byte> data)
    {
        var bytes = data.ToArray();
        var split = Array.IndexOf(bytes, (byte)0);
        var head = split < 0 ? bytes : bytes[..split];
        ReadOnlyMemory<byte> body = split < 0 ? Array.Empty<byte>() : bytes.AsMemory(split + 1);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(head, _options);
        }
        catch (JsonException)
        {
            // Not JSON: the filter connection refuses it before any verdict is read.
            return;
        }

        using (document)
        {
            foreach (var actions in _actionSets)
            {
                var ok = VerdictParser.TryParse(document.RootElement, body, actions, "fuzz", out var verdict, out var problem);
                if (ok != verdict is not null || ok == (problem.Length > 0))
                {
                    throw new InvalidOperationException($"TryParse returned {ok} with verdict {verdict is not null} and problem '{problem}'.");
                }
            }
        }
    }
}
