using System.Globalization;
using Jint;
using Jint.Native;
using Jint.Runtime.Interop;

namespace Butterfly.Scripting.Internal;

/// <summary>Builds the <c>message</c> object a handler gets, in the run's own realm.</summary>
internal static class MessageObject
{
    public static JsObject Create(Engine engine, ScriptMessage message)
    {
        // What takes work to build (arrays, decoded text, the attachment list) is built when first read.
        var obj = new JsObject(engine);
        obj.Set("from", message.From);
        obj.Set("fromName", message.FromName is null ? JsValue.Null : message.FromName);
        Lazy(obj, "to", () => Strings(engine, message.To));
        Lazy(obj, "cc", () => Strings(engine, message.Cc));
        Lazy(obj, "replyTo", () => Strings(engine, message.ReplyTo));
        obj.Set("subject", message.Subject);
        Lazy(obj, "date", () => message.Date is { } date ? date.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) : JsValue.Null);
        obj.Set("messageId", message.MessageId is null ? JsValue.Null : message.MessageId);
        Lazy(obj, "references", () => Strings(engine, message.References));
        Lazy(obj, "text", () => message.Text);
        Lazy(obj, "html", () => message.Html is null ? JsValue.Null : message.Html);
        obj.Set("size", message.Size);
        Lazy(obj, "attachments", () => new JsArray(engine, [.. message.Attachments.Select(attachment =>
        {
            var item = new JsObject(engine);
            item.Set("name", attachment.Name is null ? JsValue.Null : attachment.Name);
            item.Set("type", attachment.Type);
            item.Set("size", attachment.Size);
            return (JsValue)item;
        })]));
        Lazy(obj, "envelope", () =>
        {
            var envelope = new JsObject(engine);
            envelope.Set("from", message.EnvelopeFrom);
            envelope.Set("to", Strings(engine, message.EnvelopeTo));
            return envelope;
        });
        Lazy(obj, "header", () => new ClrFunction(engine, "header", (_, args) =>
            message.Header(Name(engine, args, "message.header")) is { } value ? value : JsValue.Null, 1));
        Lazy(obj, "headers", () => new ClrFunction(engine, "headers", (_, args) =>
            Strings(engine, message.HeaderValues(Name(engine, args, "message.headers"))), 1));
        return obj;
    }

    private static void Lazy(JsObject target, string name, Func<JsValue> make) => target.FastSetProperty(name, new LazyProperty(make));

    private static JsArray Strings(Engine engine, IEnumerable<string> values) =>
        new(engine, [.. values.Select(value => (JsValue)value)]);

    private static string Name(Engine engine, JsValue[] args, string function) =>
        JsArgs.At(args, 0) is { } name && name.IsString() ? name.AsString() : throw JsArgs.TypeError(engine, $"{function} needs a header name");
}
