using System.Globalization;
using System.Text;
using System.Text.Json;
using Butterfly.Protocol.Errors;
using Butterfly.Protocol.Framing;
using Butterfly.Protocol.Tests.Support;

namespace Butterfly.Protocol.Tests.Vectors;

/// <summary>Loads protocol/vectors/frames.json (its format is described in the file's own "description").</summary>
internal static class FrameVectorFile
{
    private static readonly Lazy<IReadOnlyList<FrameVector>> _all = new(() => Load(Path.Combine(RepoPaths.Vectors, "frames.json")));

    public static IReadOnlyList<FrameVector> All => _all.Value;

    public static FrameVector Get(string name) => All.Single(v => v.Name == name);

    public static IReadOnlyList<FrameVector> Load(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = doc.RootElement;
        var defaultMax = root.GetProperty("maxPayloadBytes").GetInt32();
        var result = new List<FrameVector>();
        foreach (var v in root.GetProperty("vectors").EnumerateArray())
        {
            var name = v.GetProperty("name").GetString()!;
            var status = v.GetProperty("status").GetString() switch
            {
                "complete" => FrameStatus.Complete,
                "incomplete" => FrameStatus.Incomplete,
                "invalid" => FrameStatus.Invalid,
                var other => throw new InvalidDataException($"{name}: unknown status '{other}'."),
            };
            var frames = v.GetProperty("frames").EnumerateArray()
                .Select(f => new VectorFrame(
                    ulong.Parse(f.GetProperty("tag").GetString()!, NumberStyles.None, CultureInfo.InvariantCulture),
                    Encoding.UTF8.GetBytes(f.GetProperty("head").GetString()!),
                    Hex.Parse(f.GetProperty("bodyHex").GetString()!)))
                .ToArray();
            var error = ErrorCode.None;
            var detectedAfter = 0;
            if (status == FrameStatus.Invalid)
            {
                var wire = v.GetProperty("error").GetString();
                if (!ErrorCodes.TryParse(wire, out error))
                {
                    throw new InvalidDataException($"{name}: unknown error code '{wire}'.");
                }

                detectedAfter = v.GetProperty("detectedAfter").GetInt32();
            }

            var max = v.TryGetProperty("maxPayloadBytes", out var m) ? m.GetInt32() : defaultMax;
            result.Add(new FrameVector(name, Hex.Parse(v.GetProperty("hex").GetString()!), max, status, frames, error, detectedAfter));
        }

        return result;
    }
}
