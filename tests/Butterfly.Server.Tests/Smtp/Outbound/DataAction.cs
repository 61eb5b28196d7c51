namespace Butterfly.Server.Tests.Smtp.Outbound;

/// <summary>What a <see cref="ScriptedSmtpReceiver"/> does with one message's DATA.</summary>
public enum DataAction
{
    /// <summary>Read it all, answer 250.</summary>
    Accept,

    /// <summary>Read it all, answer 451 (try again later).</summary>
    TempFail,

    /// <summary>Read it all, answer 554 (refused for good).</summary>
    Reject,

    /// <summary>Read the first line of the message, then close the connection.</summary>
    CloseMidData,

    /// <summary>Read it all, final dot included, then close the connection without a reply.</summary>
    CloseAfterDot,
}
