using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Butterfly.Protocol.Errors;
using Butterfly.Scripting;
using Butterfly.Server.Wire;
using Butterfly.Storage;

namespace Butterfly.Server.Commands;

/// <summary>
/// The replies of the <c>script.*</c> commands (client and control socket; protocol/client.md,
/// "Programmable addresses"): heads written field by field, since the state and log entries are
/// JSON documents carried as they are.
/// </summary>
internal static class ScriptReplies
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary><c>{"ok":true, ...}</c> with the fields <paramref name="fields"/> writes.</summary>
    public static Reply Ok(Action<Utf8JsonWriter> fields)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteBoolean("ok"u8, true);
            fields(writer);
            writer.WriteEndObject();
        }

        return new Reply(buffer.WrittenMemory, ReadOnlyMemory<byte>.Empty, ErrorCode.None);
    }

    /// <summary><c>script.syntax</c> with where the script failed: <c>kind</c>, <c>line</c>, <c>column</c>.</summary>
    public static Reply Syntax(ScriptError error)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteBoolean("ok"u8, false);
            writer.WriteString("code"u8, ErrorCode.ScriptSyntax.ToWire());
            var where = error.Line is { } line ? string.Create(CultureInfo.InvariantCulture, $" at line {line}, column {error.Column ?? 0}") : string.Empty;
            writer.WriteString("message"u8, $"The script was not stored ({error.Kind}{where}): {error.Message}. The old script stays.");
            WriteError(writer, error);
            writer.WriteEndObject();
        }

        return new Reply(buffer.WrittenMemory, ReadOnlyMemory<byte>.Empty, ErrorCode.ScriptSyntax);
    }

    /// <summary>The <c>kind</c>, <c>line</c> and <c>column</c> fields of an error.</summary>
    public static void WriteError(Utf8JsonWriter writer, ScriptError error)
    {
        writer.WriteString("kind"u8, error.Kind);
        if (error.Line is { } line)
        {
            writer.WriteNumber("line"u8, line);
        }

        if (error.Column is { } column)
        {
            writer.WriteNumber("column"u8, column);
        }
    }

    /// <summary>A stored script's fields (without its source and state).</summary>
    public static void WriteScript(Utf8JsonWriter writer, StoredScript script)
    {
        writer.WriteString("address"u8, script.Address);
        writer.WriteString("owner"u8, script.Owner);
        writer.WriteNumber("version"u8, script.Version);
        writer.WriteString("hash"u8, script.Hash);
        writer.WriteString("updated"u8, script.Updated);
        writer.WriteString("schedule"u8, script.Schedule);
        Time(writer, "nextRun", script.NextRun);
    }

    /// <summary>The allowed addresses and their scripts, as <c>scripts</c>.</summary>
    public static void WriteList(Utf8JsonWriter writer, IReadOnlyList<ScriptSummary> scripts)
    {
        writer.WriteStartArray("scripts"u8);
        foreach (var s in scripts)
        {
            writer.WriteStartObject();
            writer.WriteString("address"u8, s.Address);
            writer.WriteString("owner"u8, s.Owner);
            if (s.Version is { } version)
            {
                writer.WriteNumber("version"u8, version);
            }
            else
            {
                writer.WriteNull("version"u8);
            }

            writer.WriteString("hash"u8, s.Hash);
            Time(writer, "updated", s.Updated);
            writer.WriteString("schedule"u8, s.Schedule);
            Time(writer, "nextRun", s.NextRun);
            writer.WriteNumber("held"u8, s.Held);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>Log rows as <c>runs</c>, and <c>last</c>: the id to follow from.</summary>
    public static void WriteRuns(Utf8JsonWriter writer, IReadOnlyList<ScriptRun> runs, long since)
    {
        writer.WriteStartArray("runs"u8);
        foreach (var run in runs)
        {
            writer.WriteStartObject();
            writer.WriteNumber("id"u8, run.Id);
            writer.WriteString("at"u8, run.At);
            writer.WriteString("trigger"u8, run.Trigger);
            writer.WriteString("outcome"u8, run.Outcome);
            writer.WriteBoolean("committed"u8, run.Committed);
            writer.WriteNumber("version"u8, run.Version);
            writer.WriteString("sender"u8, run.Sender);
            writer.WriteString("messageId"u8, run.MessageId);
            Raw(writer, "effects", run.Effects);
            writer.WriteString("error"u8, run.Error);
            Raw(writer, "log", run.Log);
            writer.WriteNumber("statements"u8, run.Statements);
            writer.WriteNumber("elapsedMicroseconds"u8, run.ElapsedMicroseconds);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteNumber("last"u8, runs.Count > 0 ? runs[^1].Id : since);
    }

    /// <summary>A stored JSON document as the value of <paramref name="name"/> (null when none).</summary>
    public static void Raw(Utf8JsonWriter writer, string name, string? json)
    {
        writer.WritePropertyName(name);
        if (json is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteRawValue(json, skipInputValidation: false);
        }
    }

    private static void Time(Utf8JsonWriter writer, string name, DateTimeOffset? time)
    {
        if (time is { } value)
        {
            writer.WriteString(name, value);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
