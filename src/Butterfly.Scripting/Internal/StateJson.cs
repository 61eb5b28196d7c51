using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Jint;
using Jint.Native;
using Jint.Native.Json;
using Jint.Native.Object;
using Jint.Runtime;

namespace Butterfly.Scripting.Internal;

/// <summary>
/// <c>ctx.state</c> in and out: the stored JSON object becomes a plain JavaScript object, and after the run
/// the object is written back as JSON — strictly: what JSON cannot hold is an error, not silently dropped.
/// </summary>
internal static class StateJson
{
    /// <summary>Deeper nesting than this is refused (and keeps the writer's recursion bounded).</summary>
    public const int MaxDepth = 64;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // State is read by its owner (script state --json): keep non-ASCII text readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    /// <summary>Parses the stored state into the run's realm; empty or "null" is an empty object.</summary>
    public static JsValue Read(Engine engine, string json)
    {
        if (string.IsNullOrWhiteSpace(json) || json.Trim() == "null")
        {
            return new JsObject(engine);
        }

        var value = new JsonParser(engine).Parse(json);
        if (!value.IsObject() || value.IsArray())
        {
            throw new ArgumentException("The stored state is not a JSON object.", nameof(json));
        }

        return value;
    }

    /// <summary>
    /// The state as compact JSON. Throws <see cref="ScriptLimitException"/>: <see cref="ScriptOutcome.StateLimit"/>
    /// past <paramref name="maxBytes"/>, <see cref="ScriptOutcome.RuntimeError"/> for anything that is not JSON data.
    /// </summary>
    public static string Write(JsValue state, long maxBytes)
    {
        if (!IsPlainObject(state))
        {
            throw NotJson("ctx.state", state, "ctx.state must be a plain object");
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            var walk = new Walk(writer, maxBytes);
            walk.Value(state, "ctx.state", 0);
        }

        if (buffer.WrittenCount > maxBytes)
        {
            throw new ScriptLimitException(ScriptOutcome.StateLimit, $"ctx.state is larger than {maxBytes} bytes of JSON");
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static bool IsPlainObject(JsValue value) =>
        value.GetType() == typeof(JsObject);

    private static ScriptLimitException NotJson(string path, JsValue value, string? why = null) =>
        new(ScriptOutcome.RuntimeError, why ?? $"{path} is {Describe(value)}, which JSON cannot store; state may hold only objects, arrays, strings, finite numbers, booleans and null");

    private static string Describe(JsValue value) => value switch
    {
        _ when value.IsCallable() => "a function",
        _ when value.IsSymbol() => "a symbol",
        _ when value.IsBigInt() => "a BigInt",
        _ when value.IsNumber() => TypeConverter.ToString(value),
        ObjectInstance obj => $"a {obj.GetType().Name.Replace("Js", "", StringComparison.Ordinal)} object",
        _ => value.Type.ToString(),
    };

    private sealed class Walk(Utf8JsonWriter writer, long maxBytes)
    {
        private readonly HashSet<ObjectInstance> _path = new(ReferenceEqualityComparer.Instance);

        public void Value(JsValue value, string path, int depth)
        {
            CheckSize();
            switch (value.Type)
            {
                case Types.Null:
                    writer.WriteNullValue();
                    return;
                case Types.Boolean:
                    writer.WriteBooleanValue(value.AsBoolean());
                    return;
                case Types.String:
                    writer.WriteStringValue(value.AsString());
                    return;
                case Types.Number:
                    var number = value.AsNumber();
                    if (!double.IsFinite(number))
                    {
                        throw NotJson(path, value);
                    }

                    writer.WriteNumberValue(number);
                    return;
            }

            if (value.IsDate())
            {
                // What JSON.stringify does: an ISO string (read back as a string, not a Date).
                writer.WriteStringValue(TypeConverter.ToString(value.AsDate().Get("toISOString").Call(value, [])));
                return;
            }

            if (value is not ObjectInstance obj || (!value.IsArray() && !IsPlainObject(value)))
            {
                throw NotJson(path, value);
            }

            if (depth >= MaxDepth)
            {
                throw new ScriptLimitException(ScriptOutcome.RuntimeError, $"{path} nests deeper than {MaxDepth} levels");
            }

            if (!_path.Add(obj))
            {
                throw new ScriptLimitException(ScriptOutcome.RuntimeError, $"{path} refers back to an object that contains it (a cycle); JSON cannot store cycles");
            }

            if (value.IsArray())
            {
                Array(value.AsArray(), path, depth);
            }
            else
            {
                Object(obj, path, depth);
            }

            _path.Remove(obj);
        }

        private void Array(JsArray array, string path, int depth)
        {
            writer.WriteStartArray();
            var length = array.Length;
            for (uint i = 0; i < length; i++)
            {
                var item = array[i];
                // JSON.stringify writes holes and undefined in arrays as null.
                if (item.IsUndefined())
                {
                    writer.WriteNullValue();
                }
                else
                {
                    Value(item, $"{path}[{i}]", depth + 1);
                }
            }

            writer.WriteEndArray();
        }

        private void Object(ObjectInstance obj, string path, int depth)
        {
            writer.WriteStartObject();
            foreach (var key in obj.GetOwnPropertyKeys(Types.String))
            {
                var descriptor = obj.GetOwnProperty(key);
                if (!descriptor.Enumerable)
                {
                    continue;
                }

                var name = key.AsString();
                var itemPath = $"{path}.{name}";
                if (descriptor.IsAccessorDescriptor())
                {
                    throw new ScriptLimitException(ScriptOutcome.RuntimeError, $"{itemPath} is a getter or setter; state may hold only data");
                }

                var item = descriptor.Value;
                // JSON.stringify leaves out properties whose value is undefined: so does state.
                if (item.IsUndefined())
                {
                    continue;
                }

                writer.WritePropertyName(name);
                Value(item, itemPath, depth + 1);
            }

            writer.WriteEndObject();
        }

        private void CheckSize()
        {
            if (writer.BytesCommitted + writer.BytesPending > maxBytes)
            {
                throw new ScriptLimitException(ScriptOutcome.StateLimit, $"ctx.state is larger than {maxBytes} bytes of JSON");
            }
        }
    }
}
