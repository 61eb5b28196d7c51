using System.Buffers;
using System.Text.Json;
using MimeKit;

namespace Butterfly.Filters;

/// <summary>
/// A filter's answer to one message (protocol/filter.md, "Verdicts"). Start from <see cref="Accept"/>,
/// <see cref="Reject"/>, <see cref="TempFail"/>, <see cref="Discard"/> or <see cref="Quarantine"/>, then
/// chain edits; every method returns this verdict.
/// </summary>
public sealed class Verdict
{
    private readonly List<(string Op, string Name, string? Value, int Index)> _headers = [];
    private readonly List<string> _add = [];
    private readonly List<string> _remove = [];
    private readonly List<(string Recipient, string Folder)> _file = [];
    private readonly List<(string Recipient, string[] Flags)> _flags = [];
    private readonly List<(string Sender, IReadOnlyList<string> Recipients, ReadOnlyMemory<byte> Raw)> _inject = [];
    private ReadOnlyMemory<byte>? _replace;

    private Verdict(string kind, string? reason = null, string? code = null, string? folder = null)
    {
        Kind = kind;
        Reason = reason;
        Code = code;
        Folder = folder;
    }

    /// <summary>The verdict on the wire: accept, reject, tempfail, discard or quarantine.</summary>
    public string Kind { get; }

    /// <summary>For reject and tempfail: the error code (null for the server's default).</summary>
    public string? Code { get; }

    /// <summary>For reject and tempfail: the reason the sender sees.</summary>
    public string? Reason { get; }

    /// <summary>For quarantine: the folder.</summary>
    public string? Folder { get; }

    /// <summary>Deliver (with any edits chained on).</summary>
    public static Verdict Accept() => new("accept");

    /// <summary>Refuse permanently; the code and reason reach the sender.</summary>
    /// <param name="reason">The reason, for a person.</param>
    /// <param name="code">A dotted lowercase code such as <c>spam.detected</c>; null for <c>filter.rejected</c>.</param>
    public static Verdict Reject(string reason, string? code = null) => new("reject", reason, code);

    /// <summary>No decision now: the message is held and tried again later.</summary>
    /// <param name="reason">The reason, for a person.</param>
    /// <param name="code">A dotted lowercase code; null for <c>filter.tempfail</c>.</param>
    public static Verdict TempFail(string reason, string? code = null) => new("tempfail", reason, code);

    /// <summary>Accept and drop silently (injected messages are still delivered).</summary>
    public static Verdict Discard() => new("discard");

    /// <summary>Deliver into <paramref name="folder"/> for every recipient; later filters still run.</summary>
    /// <param name="folder">The folder. Default Junk.</param>
    public static Verdict Quarantine(string folder = "Junk") => new("quarantine", folder: folder);

    /// <summary>Adds a header field at the top of the header.</summary>
    /// <param name="name">The field name.</param>
    /// <param name="value">The value (one line).</param>
    public Verdict AddHeader(string name, string value)
    {
        _headers.Add(("add", name, value, 1));
        return this;
    }

    /// <summary>Changes the <paramref name="index"/>-th field named <paramref name="name"/>; adds it when there is none.</summary>
    /// <param name="name">The field name.</param>
    /// <param name="value">The new value (one line).</param>
    /// <param name="index">The 1-based occurrence.</param>
    public Verdict ChangeHeader(string name, string value, int index = 1)
    {
        _headers.Add(("change", name, value, index));
        return this;
    }

    /// <summary>Deletes the <paramref name="index"/>-th field named <paramref name="name"/>.</summary>
    /// <param name="name">The field name.</param>
    /// <param name="index">The 1-based occurrence.</param>
    public Verdict DeleteHeader(string name, int index = 1)
    {
        _headers.Add(("delete", name, null, index));
        return this;
    }

    /// <summary>Replaces the whole message; header edits of this verdict apply to the new one.</summary>
    /// <param name="raw">The new RFC 5322 message.</param>
    public Verdict ReplaceMessage(ReadOnlyMemory<byte> raw)
    {
        _replace = raw;
        return this;
    }

    /// <summary>Replaces the whole message with one composed with MimeKit (written now, with CRLF line ends).</summary>
    /// <param name="message">The new message.</param>
    public Verdict ReplaceMessage(MimeMessage message) => ReplaceMessage(MessageBytes.Of(message));

    /// <summary>Adds an envelope recipient.</summary>
    /// <param name="address">The address.</param>
    public Verdict AddRecipient(string address)
    {
        _add.Add(address);
        return this;
    }

    /// <summary>Removes an envelope recipient.</summary>
    /// <param name="address">The address.</param>
    public Verdict RemoveRecipient(string address)
    {
        _remove.Add(address);
        return this;
    }

    /// <summary>Files the message into <paramref name="folder"/> for <paramref name="recipient"/> (<c>*</c>: everyone).</summary>
    /// <param name="recipient">A recipient, or <c>*</c>.</param>
    /// <param name="folder">The folder, created when missing.</param>
    public Verdict FileInto(string recipient, string folder)
    {
        _file.Add((recipient, folder));
        return this;
    }

    /// <summary>Sets flags on <paramref name="recipient"/>'s copy (<c>*</c>: everyone).</summary>
    /// <param name="recipient">A recipient, or <c>*</c>.</param>
    /// <param name="flags">Flag names: seen, flagged, answered, draft.</param>
    public Verdict SetFlags(string recipient, params string[] flags)
    {
        _flags.Add((recipient, flags));
        return this;
    }

    /// <summary>Delivers a new message through the server's delivery path, one hop further.</summary>
    /// <param name="sender">Its envelope sender.</param>
    /// <param name="recipients">Its envelope recipients.</param>
    /// <param name="raw">The whole RFC 5322 message.</param>
    public Verdict Inject(string sender, IReadOnlyList<string> recipients, ReadOnlyMemory<byte> raw)
    {
        _inject.Add((sender, recipients, raw));
        return this;
    }

    /// <summary>Delivers a message composed with MimeKit (written now, with CRLF line ends) through the server's delivery path.</summary>
    /// <param name="sender">Its envelope sender.</param>
    /// <param name="recipients">Its envelope recipients.</param>
    /// <param name="message">The message.</param>
    public Verdict Inject(string sender, IReadOnlyList<string> recipients, MimeMessage message) =>
        Inject(sender, recipients, MessageBytes.Of(message));

    /// <summary>Writes the reply head (after <c>"ok":true</c>) and collects the binary body.</summary>
    internal void Write(Utf8JsonWriter w, ArrayBufferWriter<byte> body)
    {
        w.WriteString("verdict", Kind);
        if (Code is not null)
        {
            w.WriteString("code", Code);
        }

        if (Reason is not null)
        {
            w.WriteString("reason", Reason);
        }

        if (Folder is not null)
        {
            w.WriteString("folder", Folder);
        }

        if (_replace is { } replace)
        {
            w.WriteStartObject("replace");
            w.WriteNumber("offset", body.WrittenCount);
            w.WriteNumber("length", replace.Length);
            w.WriteEndObject();
            body.Write(replace.Span);
        }

        if (_headers.Count > 0)
        {
            w.WriteStartArray("headers");
            foreach (var (op, name, value, index) in _headers)
            {
                w.WriteStartObject();
                w.WriteString("op", op);
                w.WriteString("name", name);
                if (value is not null)
                {
                    w.WriteString("value", value);
                }

                if (op != "add")
                {
                    w.WriteNumber("index", index);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        if (_add.Count > 0 || _remove.Count > 0)
        {
            w.WriteStartObject("recipients");
            WriteStrings(w, "add", _add);
            WriteStrings(w, "remove", _remove);
            w.WriteEndObject();
        }

        if (_file.Count > 0)
        {
            w.WriteStartArray("file");
            foreach (var (recipient, folder) in _file)
            {
                w.WriteStartObject();
                w.WriteString("recipient", recipient);
                w.WriteString("folder", folder);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        if (_flags.Count > 0)
        {
            w.WriteStartArray("flags");
            foreach (var (recipient, flags) in _flags)
            {
                w.WriteStartObject();
                w.WriteString("recipient", recipient);
                WriteStrings(w, "flags", flags);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        if (_inject.Count > 0)
        {
            w.WriteStartArray("inject");
            foreach (var (sender, recipients, raw) in _inject)
            {
                w.WriteStartObject();
                w.WriteString("sender", sender);
                WriteStrings(w, "recipients", recipients);
                w.WriteNumber("offset", body.WrittenCount);
                w.WriteNumber("length", raw.Length);
                w.WriteEndObject();
                body.Write(raw.Span);
            }

            w.WriteEndArray();
        }
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }

        w.WriteEndArray();
    }
}
