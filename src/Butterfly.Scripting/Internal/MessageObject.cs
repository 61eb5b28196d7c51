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
        var obj = new JsObject(engine);
        obj.Set("from", message.From);
        obj.Set("fromName", message.FromName is null ? JsValue.Null : message.FromName);
        obj.Set("to", Strings(engine, message.To));
        obj.Set("cc", Strings(engine, message.Cc));
        obj.Set("replyTo", Strings(engine, message.ReplyTo));
        obj.Set("subject", message.Subject);
        obj.Set("date", message.Date is { } date ? date.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) : JsValue.Null);
        obj.Set("messageId", message.MessageId is null ? JsValue.Null : message.MessageId);
        obj.Set("references", Strings(engine, message.References));
        obj.Set("text", message.Text);
        obj.Set("html", message.Html is null ? JsValue.Null : message.Html);
        obj.Set("size", message.Size);
        obj.Set("attachments", new JsArray(engine, [.. message.Attachments.Select(attachment =>
        {
            var item = new JsObject(engine);
            item.Set("name", attachment.Name is null ? JsValue.Null : attachment.Name);
            item.Set("type", attachment.Type);
            item.Set("size", attachment.Size);
            return (JsValue)item;
        })]));
        var envelope = new JsObject(engine);
        envelope.Set("from", message.EnvelopeFrom);
        envelope.Set("to", Strings(engine, message.EnvelopeTo));
        obj.Set("envelope", envelope);
        obj.Set("header", new ClrFunction(engine, "header", (_, args) =>
            message.Header(Name(engine, args, "message.header")) is { } value ? value : JsValue.Null, 1));
        obj.Set("headers", new ClrFunction(engine, "headers", (_, args) =>
            Strings(engine, message.HeaderValues(Name(engine, args, "message.headers"))), 1));
        return obj;
    }

    private static JsArray Strings(Engine engine, IEnumerable<string> values) =>
        new(engine, [.. values.Select(value => (JsValue)value)]);

    private static string Name(Engine engine, JsValue[] args, string function) =>
        JsArgs.At(args, 0) is { } name && name.IsString() ? name.AsString() : throw JsArgs.TypeError(engine, $"{function} needs a header name");
}
