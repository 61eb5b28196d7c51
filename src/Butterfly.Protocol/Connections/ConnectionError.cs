using Butterfly.Protocol.Errors;

namespace Butterfly.Protocol.Connections;

/// <summary>Why a connection ended other than by an orderly close.</summary>
/// <param name="Message">What happened, for a person.</param>
/// <param name="Code">The protocol error the other side committed, or <see cref="ErrorCode.None"/>.</param>
/// <param name="Exception">The transport failure behind it, when there was one.</param>
/// <param name="Truncated">The other side closed in the middle of a frame.</param>
/// <param name="WriteTimedOut">The other side took none of the bytes owed to it within the write timeout.</param>
public sealed record ConnectionError(string Message, ErrorCode Code = ErrorCode.None, Exception? Exception = null, bool Truncated = false, bool WriteTimedOut = false);
