using System.Text.Json;
using Butterfly.Protocol.Errors;

namespace Butterfly.Client;

/// <summary>
/// One reply (or pushed frame) from the server: its JSON head and binary body. A failure reply
/// has <see cref="Ok"/> false and carries <see cref="Code"/> and <see cref="Message"/>.
/// </summary>
public sealed class ButterflyReply
{
    private readonly byte[] _buffer;
    private readonly int _headLength;
    private JsonElement? _head;

    internal ButterflyReply(ulong tag, byte[] buffer, int headLength, bool ok, string? code, string? message)
    {
        Tag = tag;
        _buffer = buffer;
        _headLength = headLength;
        Ok = ok;
        Code = code;
        Message = message;
        Error = ok ? ErrorCode.None : ErrorCodes.TryParse(code, out var error) ? error : ErrorCode.None;
    }

    /// <summary>The frame's tag: the request's tag, or 0 for a frame the server pushed.</summary>
    public ulong Tag { get; }

    /// <summary>True for a success reply (<c>"ok": true</c>).</summary>
    public bool Ok { get; }

    /// <summary>The error code of a failure reply, e.g. <c>folder.not-found</c>.</summary>
    public string? Code { get; }

    /// <summary>The human message of a failure reply.</summary>
    public string? Message { get; }

    /// <summary>The error code as an enum value; <see cref="ErrorCode.None"/> on success or for an unknown code.</summary>
    public ErrorCode Error { get; }

    /// <summary>The UTF-8 bytes of the JSON head.</summary>
    public ReadOnlyMemory<byte> HeadBytes => _buffer.AsMemory(0, _headLength);

    /// <summary>The JSON head (parsed on first use).</summary>
    public JsonElement Head
    {
        get
        {
            if (_head is { } head)
            {
                return head;
            }

            var reader = new Utf8JsonReader(_buffer.AsSpan(0, _headLength));
            var parsed = JsonElement.ParseValue(ref reader);
            _head = parsed;
            return parsed;
        }
    }

    /// <summary>The binary body (raw message bytes for <c>message.fetch</c>), possibly empty.</summary>
    public ReadOnlyMemory<byte> Body => _buffer.AsMemory(_headLength);

    /// <summary>Throws <see cref="ButterflyException"/> when this is a failure reply.</summary>
    /// <returns>This reply, for chaining.</returns>
    public ButterflyReply EnsureOk()
    {
        if (!Ok)
        {
            throw new ButterflyException(Code ?? "server.internal", Message ?? "The request failed.");
        }

        return this;
    }
}
