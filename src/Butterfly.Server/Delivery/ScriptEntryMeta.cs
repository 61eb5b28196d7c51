using System.Security.Cryptography;
using System.Text.Json;
using Butterfly.Server.Mail;

namespace Butterfly.Server.Delivery;

/// <summary>
/// What a queue entry waiting for a script carries in its meta: where the message came from, and the
/// <c>ctx.now</c> and random seed chosen when it arrived. They are recorded before the first run, so a
/// run again after a crash or a failure sees the same time and the same random numbers.
/// </summary>
/// <param name="Origin">Where the message came from.</param>
/// <param name="Now">The run's <c>ctx.now</c>.</param>
/// <param name="Seed">The run's random seed.</param>
internal sealed record ScriptEntryMeta(MessageOrigin Origin, DateTimeOffset Now, long Seed)
{
    /// <summary>A new meta for a message arriving now.</summary>
    public static ScriptEntryMeta New(MessageOrigin origin, DateTimeOffset now) =>
        new(origin, now, RandomNumberGenerator.GetInt32(int.MaxValue) * (long)int.MaxValue + RandomNumberGenerator.GetInt32(int.MaxValue));

    /// <summary>The meta as JSON.</summary>
    public string Write()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("origin", Origin.ToString().ToLowerInvariant());
            writer.WriteNumber("now", Now.ToUnixTimeMilliseconds());
            writer.WriteNumber("seed", Seed);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Reads the meta; an entry without one (written by hand) gets <paramref name="fallbackNow"/> and a seed from its id.</summary>
    public static ScriptEntryMeta Read(string? meta, DateTimeOffset fallbackNow, long fallbackSeed)
    {
        if (string.IsNullOrEmpty(meta))
        {
            return new(MessageOrigin.Filter, fallbackNow, fallbackSeed);
        }

        using var document = JsonDocument.Parse(meta);
        var root = document.RootElement;
        var origin = root.TryGetProperty("origin", out var o) && Enum.TryParse<MessageOrigin>(o.GetString(), ignoreCase: true, out var parsed)
            ? parsed
            : MessageOrigin.Filter;
        var now = root.TryGetProperty("now", out var n) && n.TryGetInt64(out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : fallbackNow;
        var seed = root.TryGetProperty("seed", out var s) && s.TryGetInt64(out var value) ? value : fallbackSeed;
        return new(origin, now, seed);
    }
}
