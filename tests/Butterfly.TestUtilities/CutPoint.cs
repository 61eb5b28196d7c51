namespace Butterfly.TestUtilities;

/// <summary>Where <see cref="CuttingProxy"/> cuts a connection, relative to one request and its reply.</summary>
public enum CutPoint
{
    /// <summary>The request frame does not reach the server at all.</summary>
    BeforeRequest,

    /// <summary>The server gets the fixed part and half of the request's JSON head.</summary>
    InRequestHead,

    /// <summary>The server gets the head and half of the request's body.</summary>
    InRequestBody,

    /// <summary>The server gets the whole request; its reply never reaches the client.</summary>
    AfterRequest,

    /// <summary>The client gets half of the reply frame.</summary>
    InReply,

    /// <summary>The client gets the whole reply, and then the connection is cut.</summary>
    AfterReply,

    /// <summary>
    /// The server gets the whole request and has answered, but neither that reply nor any later
    /// frame reaches the client: the connection stays open until the server side closes (the
    /// server was killed), then the client's side closes too.
    /// </summary>
    HoldReply,
}
