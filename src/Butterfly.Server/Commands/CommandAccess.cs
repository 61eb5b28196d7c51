namespace Butterfly.Server.Commands;

/// <summary>Which session states a command is allowed in.</summary>
internal enum CommandAccess
{
    /// <summary>Any state (hello).</summary>
    Always,

    /// <summary>Only before login (login, register).</summary>
    Anonymous,

    /// <summary>Only after login (everything else).</summary>
    Authenticated,
}
