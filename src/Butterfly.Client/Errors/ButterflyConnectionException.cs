using Butterfly.Protocol.Errors;

namespace Butterfly.Client;

/// <summary>
/// The connection is gone: the socket closed or failed, the server sent a protocol error frame
/// (tag 0, see protocol/client.md), or the server broke the framing. Every request waiting on
/// the connection fails with this exception; open a new connection to go on.
/// </summary>
public sealed class ButterflyConnectionException : IOException
{
    /// <summary>Creates an exception for a lost connection.</summary>
    public ButterflyConnectionException()
        : this("The connection to the server was lost.")
    {
    }

    /// <summary>Creates an exception for a lost connection.</summary>
    /// <param name="message">What happened.</param>
    public ButterflyConnectionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception for a lost connection.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The socket error behind it.</param>
    public ButterflyConnectionException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for a protocol error frame the server sent before closing.</summary>
    /// <param name="code">The wire code, e.g. <c>session.timeout</c>.</param>
    /// <param name="message">The server's message.</param>
    /// <param name="innerException">Unused; kept for the usual constructor shape.</param>
    public ButterflyConnectionException(string code, string message, Exception? innerException)
        : base($"{code}: {message}", innerException)
    {
        Code = code;
        ServerMessage = message;
        Error = ErrorCodes.TryParse(code, out var error) ? error : ErrorCode.None;
    }

    /// <summary>The code of the server's error frame, when the server closed with one.</summary>
    public string? Code { get; }

    /// <summary>The server's message from the error frame, when there was one.</summary>
    public string? ServerMessage { get; }

    /// <summary>The error frame's code as an enum value; <see cref="ErrorCode.None"/> when absent or unknown.</summary>
    public ErrorCode Error { get; }
}
