using System.Text;
using System.Text.Json;
using Butterfly.Scripting;
using Butterfly.Server.Delivery;

namespace Butterfly.Server.Scripts;

/// <summary>A run's effects turned into what the pipeline commits, and into the JSON the run log and a dry run show.</summary>
internal static class ScriptEffects
{
    /// <summary>
    /// The run's effects as pipeline output: each send composed now (ScriptMail.Compose, From the
    /// script's address, with a Message-ID derived from the run's seed and the send's place, so a run
    /// again after a crash writes the same bytes).
    /// </summary>
    public static ScriptOutput ToOutput(IReadOnlyList<ScriptEffect> effects, string address, long ownerId, string owner, DateTimeOffset now, long seed)
    {
        var output = new ScriptOutput(address, ownerId, owner);
        var domain = ScriptHost.DomainOf(address);
        for (var i = 0; i < effects.Count; i++)
        {
            switch (effects[i])
            {
                case SendEffect send:
                    var raw = ScriptMail.Compose(send, address, domain, now, SendSeed(seed, i));
                    output.Sends.Add(([.. send.To.Concat(send.Cc).Distinct(StringComparer.OrdinalIgnoreCase)], raw));
                    break;
                case ForwardEffect forward:
                    output.Forwards.Add([.. forward.To.Distinct(StringComparer.OrdinalIgnoreCase)]);
                    break;
                case FileIntoEffect file:
                    output.Folders.Add(file.Folder);
                    break;
                case RejectEffect reject:
                    output.Reject = reject.Reason;
                    break;
            }
        }

        return output;
    }

    /// <summary>The seed of the <paramref name="index"/>th effect: distinct per send, the same in a re-run.</summary>
    public static long SendSeed(long seed, int index) => unchecked(seed ^ ((index + 1) * -7046029254386353131L));

    /// <summary>The effects as a JSON array, for the run log and <c>script.test</c>.</summary>
    public static string ToJson(IReadOnlyList<ScriptEffect> effects)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, effects);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Writes the effects as a JSON array.</summary>
    public static void Write(Utf8JsonWriter writer, IReadOnlyList<ScriptEffect> effects)
    {
        writer.WriteStartArray();
        foreach (var effect in effects)
        {
            writer.WriteStartObject();
            switch (effect)
            {
                case SendEffect send:
                    writer.WriteString("kind", "send");
                    Strings(writer, "to", send.To);
                    Strings(writer, "cc", send.Cc);
                    writer.WriteString("subject", send.Subject);
                    writer.WriteString("text", send.Text);
                    if (send.Html is not null)
                    {
                        writer.WriteString("html", send.Html);
                    }

                    if (send.InReplyTo is not null)
                    {
                        writer.WriteString("inReplyTo", send.InReplyTo);
                    }

                    break;
                case ForwardEffect forward:
                    writer.WriteString("kind", "forward");
                    Strings(writer, "to", forward.To);
                    break;
                case FileIntoEffect file:
                    writer.WriteString("kind", "fileInto");
                    writer.WriteString("folder", file.Folder);
                    break;
                case RejectEffect reject:
                    writer.WriteString("kind", "reject");
                    writer.WriteString("reason", reject.Reason);
                    break;
                default:
                    writer.WriteString("kind", effect.GetType().Name);
                    break;
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>Log lines as a JSON array.</summary>
    public static string LinesJson(IReadOnlyList<string> lines)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Strings(writer, null, lines);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Strings(Utf8JsonWriter writer, string? name, IEnumerable<string> values)
    {
        if (name is null)
        {
            writer.WriteStartArray();
        }
        else
        {
            writer.WriteStartArray(name);
        }

        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }
}
