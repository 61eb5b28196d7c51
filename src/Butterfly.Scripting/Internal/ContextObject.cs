using System.Text;
using Jint;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime.Descriptors;
using Jint.Runtime.Interop;

namespace Butterfly.Scripting.Internal;

/// <summary>
/// The <c>ctx</c> a handler gets: the functions that record effects and log lines, the state, the clock
/// and the seeded random numbers. Effects are only recorded here; the server applies them after a
/// successful run.
/// </summary>
internal sealed class ContextObject
{
    private readonly Engine _engine;
    private readonly ScriptLimits _limits;
    private readonly ScriptMessage? _message;
    private readonly List<ScriptEffect> _effects = [];
    private readonly List<string> _log = [];
    private int _droppedLogLines;
    private int _sends;
    private int _recipients;

    public ContextObject(RunSession session, ScriptRunContext context, ScriptMessage? message, ScriptLimits limits)
    {
        _engine = session.Engine;
        _limits = limits;
        _message = message;

        var ctx = new JsObject(_engine);
        Constant(ctx, "address", context.Address);
        Constant(ctx, "owner", context.Owner);
        Constant(ctx, "domain", context.Domain);
        Constant(ctx, "now", _engine.Construct("Date", [JsNumber.Create(context.Now.ToUnixTimeMilliseconds())]));
        ctx.FastSetProperty("state", new PropertyDescriptor(StateJson.Read(_engine, context.StateJson), writable: true, enumerable: true, configurable: false));
        Function(ctx, "random", 0, (_, _) => session.Random.NextDouble());
        Function(ctx, "log", 1, WriteLog);
        Function(ctx, "send", 1, Send);
        Function(ctx, "reply", 1, Reply);
        Function(ctx, "forward", 1, Forward);
        Function(ctx, "reject", 1, Reject);
        Function(ctx, "fileInto", 1, FileInto);
        Value = ctx;
    }

    public ObjectInstance Value { get; }

    public IReadOnlyList<ScriptEffect> Effects => _effects;

    /// <summary>The log, with a last line counting what <see cref="ScriptLimits.MaxLogLines"/> dropped.</summary>
    public IReadOnlyList<string> Log =>
        _droppedLogLines == 0 ? _log : [.. _log, $"({_droppedLogLines} more log lines dropped: the limit is {_limits.MaxLogLines} a run)"];

    public JsValue State => Value.Get("state");

    private void Constant(ObjectInstance target, string name, JsValue value) =>
        target.FastSetProperty(name, new PropertyDescriptor(value, writable: false, enumerable: true, configurable: false));

    private void Function(ObjectInstance target, string name, int length, Func<JsValue, JsValue[], JsValue> body) =>
        Constant(target, name, new ClrFunction(_engine, name, body, length));

    private JsValue WriteLog(JsValue thisObject, JsValue[] args)
    {
        if (_log.Count >= _limits.MaxLogLines)
        {
            _droppedLogLines++;
            return JsValue.Undefined;
        }

        var line = new StringBuilder();
        foreach (var arg in args)
        {
            if (line.Length > 0)
            {
                line.Append(' ');
            }

            line.Append(JsArgs.Display(_engine, arg));
            if (line.Length > _limits.MaxLogLineLength)
            {
                break;
            }
        }

        var text = line.ToString();
        _log.Add(text.Length > _limits.MaxLogLineLength ? text[.._limits.MaxLogLineLength] + "..." : text);
        return JsValue.Undefined;
    }

    private JsValue Send(JsValue thisObject, JsValue[] args)
    {
        var spec = Spec(JsArgs.At(args, 0), "ctx.send", "{ to, subject, text }");
        var to = JsArgs.Addresses(_engine, spec.Get("to"), "ctx.send: to");
        var cc = JsArgs.Addresses(_engine, spec.Get("cc"), "ctx.send: cc");
        if (to.Count + cc.Count == 0)
        {
            throw JsArgs.TypeError(_engine, "ctx.send needs at least one recipient in to or cc");
        }

        var inReplyTo = MessageId(JsArgs.OptionalLine(_engine, spec.Get("inReplyTo"), "ctx.send: inReplyTo"));
        Record(new SendEffect(
            to,
            cc,
            JsArgs.OptionalLine(_engine, spec.Get("subject"), "ctx.send: subject") ?? "",
            JsArgs.OptionalString(_engine, spec.Get("text"), "ctx.send: text"),
            JsArgs.OptionalString(_engine, spec.Get("html"), "ctx.send: html"),
            JsArgs.Headers(_engine, spec.Get("headers"), "ctx.send: headers"),
            inReplyTo,
            inReplyTo is null ? [] : [inReplyTo]));
        return JsValue.Undefined;
    }

    private JsValue Reply(JsValue thisObject, JsValue[] args)
    {
        var message = Incoming("ctx.reply");
        var argument = JsArgs.At(args, 0);
        // ctx.reply("text") is short for ctx.reply({ text: "text" }).
        var spec = argument.IsString() ? null : Spec(argument, "ctx.reply", "{ text }");
        var to = message.ReplyTo.Count > 0 ? message.ReplyTo : message.From.Length > 0 ? [message.From] : [];
        if (to.Count == 0)
        {
            throw JsArgs.TypeError(_engine, "ctx.reply: the message has neither Reply-To nor From to answer");
        }

        var subject = spec is null ? null : JsArgs.OptionalLine(_engine, spec.Get("subject"), "ctx.reply: subject");
        subject ??= message.Subject.StartsWith("Re:", StringComparison.OrdinalIgnoreCase) ? message.Subject : "Re: " + message.Subject;
        var references = message.MessageId is null ? message.References : [.. message.References, message.MessageId];
        Record(new SendEffect(
            [.. to],
            spec is null ? [] : JsArgs.Addresses(_engine, spec.Get("cc"), "ctx.reply: cc"),
            subject,
            spec is null ? argument.AsString() : JsArgs.OptionalString(_engine, spec.Get("text"), "ctx.reply: text"),
            spec is null ? null : JsArgs.OptionalString(_engine, spec.Get("html"), "ctx.reply: html"),
            spec is null ? [] : JsArgs.Headers(_engine, spec.Get("headers"), "ctx.reply: headers"),
            message.MessageId,
            references));
        return JsValue.Undefined;
    }

    private JsValue Forward(JsValue thisObject, JsValue[] args)
    {
        Incoming("ctx.forward");
        var to = new List<string>();
        foreach (var arg in args)
        {
            to.AddRange(JsArgs.Addresses(_engine, arg, "ctx.forward"));
        }

        if (to.Count == 0)
        {
            throw JsArgs.TypeError(_engine, "ctx.forward needs at least one address");
        }

        Record(new ForwardEffect(to));
        return JsValue.Undefined;
    }

    private JsValue Reject(JsValue thisObject, JsValue[] args)
    {
        Incoming("ctx.reject");
        var reason = JsArgs.OptionalLine(_engine, JsArgs.At(args, 0), "ctx.reject: reason");
        _effects.Add(new RejectEffect(string.IsNullOrWhiteSpace(reason) ? "rejected by the address's script" : reason));
        return JsValue.Undefined;
    }

    private JsValue FileInto(JsValue thisObject, JsValue[] args)
    {
        Incoming("ctx.fileInto");
        var folder = JsArgs.OptionalLine(_engine, JsArgs.At(args, 0), "ctx.fileInto: folder");
        if (string.IsNullOrWhiteSpace(folder) || folder.Any(char.IsControl))
        {
            throw JsArgs.TypeError(_engine, "ctx.fileInto needs a folder name");
        }

        _effects.Add(new FileIntoEffect(folder));
        return JsValue.Undefined;
    }

    private ObjectInstance Spec(JsValue value, string function, string shape)
    {
        if (!value.IsObject() || value.IsArray())
        {
            throw JsArgs.TypeError(_engine, $"{function} expects an object like {shape}");
        }

        return value.AsObject();
    }

    private ScriptMessage Incoming(string function) =>
        _message ?? throw JsArgs.TypeError(_engine, $"{function} needs an incoming message: it works in onMessage, not in onSchedule");

    private void Record(ScriptEffect effect)
    {
        var recipients = effect switch
        {
            SendEffect send => send.To.Count + send.Cc.Count,
            ForwardEffect forward => forward.To.Count,
            _ => 0,
        };
        if (++_sends > _limits.MaxSends)
        {
            throw new ScriptLimitException(ScriptOutcome.SendLimit, $"the script sent more than {_limits.MaxSends} messages in one run and was stopped");
        }

        _recipients += recipients;
        if (_recipients > _limits.MaxRecipients)
        {
            throw new ScriptLimitException(ScriptOutcome.SendLimit, $"the script addressed more than {_limits.MaxRecipients} recipients in one run and was stopped");
        }

        _effects.Add(effect);
    }

    private static string? MessageId(string? id) => id?.Trim().TrimStart('<').TrimEnd('>');
}
