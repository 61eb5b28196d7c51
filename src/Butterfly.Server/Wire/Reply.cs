using Butterfly.Protocol.Contracts;
using Butterfly.Protocol.Errors;

namespace Butterfly.Server.Wire;

/// <summary>A reply ready for the wire: its JSON head, and a binary body where a message travels.</summary>
/// <param name="Head">The UTF-8 JSON head.</param>
/// <param name="Body">The binary section, often empty.</param>
/// <param name="Error">The error it reports, or <see cref="ErrorCode.None"/>.</param>
internal readonly record struct Reply(ReadOnlyMemory<byte> Head, ReadOnlyMemory<byte> Body, ErrorCode Error)
{
    private static readonly byte[] _okHead = """{"ok":true}"""u8.ToArray();

    /// <summary>The plain success reply, <c>{"ok":true}</c>, shared.</summary>
    public static Reply Ok { get; } = new(_okHead, ReadOnlyMemory<byte>.Empty, ErrorCode.None);

    /// <summary>A failure reply with the table's default message.</summary>
    /// <param name="code">The error.</param>
    public static Reply Fail(ErrorCode code) => Fail(code, code.DefaultMessage());

    /// <summary>A failure reply with a specific message.</summary>
    /// <param name="code">The error.</param>
    /// <param name="message">What went wrong, for a person.</param>
    public static Reply Fail(ErrorCode code, string message) =>
        new(JsonReply.Serialize(new ErrorReply(code.ToWire(), message), ProtocolJson.Default.ErrorReply), ReadOnlyMemory<byte>.Empty, code);

    /// <summary>A failure reply whose wire code is not in the table (a filter's own code, protocol/filter.md, "Verdicts").</summary>
    /// <param name="code">The nearest table error, for the session's logs.</param>
    /// <param name="wireCode">The code sent.</param>
    /// <param name="message">What went wrong, for a person.</param>
    public static Reply Fail(ErrorCode code, string wireCode, string message) =>
        new(JsonReply.Serialize(new ErrorReply(wireCode, message), ProtocolJson.Default.ErrorReply), ReadOnlyMemory<byte>.Empty, code);
}
