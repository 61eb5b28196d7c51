using Butterfly.Protocol.Errors;

namespace Butterfly.Client;

/// <summary>
/// A command failed: the server answered with an error reply (protocol/errors.md). The
/// connection is still usable.
/// </summary>
public class ButterflyException : Exception
{
    /// <summary>Creates an exception for an error reply.</summary>
    /// <param name="code">The wire code, e.g. <c>folder.not-found</c>.</param>
    /// <param name="message">The server's human message.</param>
    public ButterflyException(string code, string message)
        : base(message)
    {
        Code = code;
        Error = ErrorCodes.TryParse(code, out var error) ? error : ErrorCode.None;
    }

    /// <summary>Creates an exception without a server code.</summary>
    public ButterflyException()
        : this("server.internal", "The request failed.")
    {
    }

    /// <summary>Creates an exception without a server code.</summary>
    /// <param name="message">What went wrong.</param>
    public ButterflyException(string message)
        : this("server.internal", message)
    {
    }

    /// <summary>Creates an exception without a server code.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ButterflyException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = "server.internal";
        Error = ErrorCode.ServerInternal;
    }

    /// <summary>The stable wire code of the error.</summary>
    public string Code { get; }

    /// <summary>The error as an enum value; <see cref="ErrorCode.None"/> when this client does not know the code.</summary>
    public ErrorCode Error { get; }
}
