using Jint;
using Jint.Native;
using Jint.Native.Json;
using Jint.Runtime;

namespace Butterfly.Scripting.Internal;

/// <summary>Reading the arguments scripts pass to <c>ctx</c>: wrong types are TypeErrors the script can catch.</summary>
internal static class JsArgs
{
    private const int MaxHeaderLength = 998;

    // Written by the server (or by Compose from the effect's own fields): a script may not set them.
    private static readonly HashSet<string> ReservedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "From", "Sender", "To", "Cc", "Bcc", "Date", "Message-ID", "Subject", "In-Reply-To", "References",
        "MIME-Version", "Content-Type", "Content-Transfer-Encoding", "Content-Disposition", "Return-Path", "Received",
        "Delivered-To",
    };

    private const long MaxDisplayChars = 1024 * 1024;

    public static bool IsMissing(JsValue value) => value.IsNull() || value.IsUndefined();

    public static JsValue At(JsValue[] args, int index) => index < args.Length ? args[index] : JsValue.Undefined;

    public static JavaScriptException TypeError(Engine engine, string message) => new(engine.Intrinsics.TypeError, message);

    public static string? OptionalString(Engine engine, JsValue value, string what)
    {
        if (IsMissing(value))
        {
            return null;
        }

        if (!value.IsString())
        {
            throw TypeError(engine, $"{what} must be a string");
        }

        return value.AsString();
    }

    /// <summary>A string that goes into a header: one line, at most 998 characters.</summary>
    public static string? OptionalLine(Engine engine, JsValue value, string what)
    {
        var text = OptionalString(engine, value, what);
        if (text is not null && (text.Contains('\r', StringComparison.Ordinal) || text.Contains('\n', StringComparison.Ordinal)))
        {
            throw TypeError(engine, $"{what} must be one line (no line breaks)");
        }

        if (text is not null && text.Length > MaxHeaderLength)
        {
            throw TypeError(engine, $"{what} is longer than {MaxHeaderLength} characters");
        }

        return text;
    }

    /// <summary>Addresses from a string or an array of strings; none for null or undefined.</summary>
    public static List<string> Addresses(Engine engine, JsValue value, string what)
    {
        var addresses = new List<string>();
        if (IsMissing(value))
        {
            return addresses;
        }

        if (value.IsString())
        {
            addresses.Add(Address(engine, value.AsString(), what));
            return addresses;
        }

        if (!value.IsArray())
        {
            throw TypeError(engine, $"{what} must be an address or an array of addresses");
        }

        foreach (var item in value.AsArray())
        {
            if (!item.IsString())
            {
                throw TypeError(engine, $"{what} must hold only strings (addresses)");
            }

            addresses.Add(Address(engine, item.AsString(), what));
        }

        return addresses;
    }

    /// <summary>A plain <c>local@domain</c> address: no display name, no spaces, no angle brackets.</summary>
    public static string Address(Engine engine, string text, string what)
    {
        var address = text.Trim();
        var at = address.LastIndexOf('@');
        var valid = address.Length <= 254 && at > 0 && at < address.Length - 1 && address.IndexOf('@') == at
            && !address.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or '(' or ')' or ',' or ';' or ':' or '"' or '[' or ']' or '\\');
        if (!valid)
        {
            throw TypeError(engine, $"{what}: \"{Shorten(text)}\" is not an address (write it as local@domain)");
        }

        return address;
    }

    /// <summary>Extra header fields: <c>{ "X-List": "play" }</c> or <c>[["X-List", "play"], ...]</c>.</summary>
    public static List<KeyValuePair<string, string>> Headers(Engine engine, JsValue value, string what)
    {
        var headers = new List<KeyValuePair<string, string>>();
        if (IsMissing(value))
        {
            return headers;
        }

        if (value.IsArray())
        {
            foreach (var pair in value.AsArray())
            {
                if (!pair.IsArray() || pair.AsArray().Length != 2)
                {
                    throw TypeError(engine, $"{what} as an array must hold [name, value] pairs");
                }

                headers.Add(Header(engine, pair.AsArray()[0], pair.AsArray()[1], what));
            }

            return headers;
        }

        if (!value.IsObject())
        {
            throw TypeError(engine, $"{what} must be an object of name: value");
        }

        var obj = value.AsObject();
        foreach (var key in obj.GetOwnPropertyKeys(Types.String))
        {
            headers.Add(Header(engine, key, obj.Get(key), what));
        }

        return headers;
    }

    private static KeyValuePair<string, string> Header(Engine engine, JsValue name, JsValue value, string what)
    {
        if (!name.IsString() || name.AsString().Length == 0 || name.AsString().Any(c => c is < '!' or > '~' or ':'))
        {
            throw TypeError(engine, $"{what}: \"{Shorten(TypeConverter.ToString(name))}\" is not a header field name");
        }

        var field = name.AsString();
        if (ReservedHeaders.Contains(field))
        {
            throw TypeError(engine, $"{what}: {field} is written by the server and cannot be set");
        }

        var text = OptionalLine(engine, value.IsString() ? value : JsString.Create(TypeConverter.ToString(value)), $"{what}.{field}");
        return new KeyValuePair<string, string>(field, text!);
    }

    /// <summary>A value as <c>ctx.log</c> prints it: strings as they are, everything else as JSON where it can be.</summary>
    public static string Display(Engine engine, JsValue value)
    {
        if (value.IsString())
        {
            return value.AsString();
        }

        // Bounded like JSON.stringify in the script (RunSession): a shared structure can be exponentially long.
        if (value.IsObject() && !value.IsCallable() && !OutputEstimate.Exceeds(value, MaxDisplayChars))
        {
            try
            {
                var json = new JsonSerializer(engine).Serialize(value);
                if (json.IsString())
                {
                    return json.AsString();
                }
            }
            catch (JavaScriptException)
            {
                // A cycle or a throwing toJSON: fall back to toString.
            }
        }

        return TypeConverter.ToString(value);
    }

    public static string Shorten(string text) => text.Length > 60 ? text[..60] + "..." : text;
}
