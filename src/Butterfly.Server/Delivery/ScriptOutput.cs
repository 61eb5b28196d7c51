namespace Butterfly.Server.Delivery;

/// <summary>
/// What a script run hands the pipeline to commit: new messages (composed already), forwards of the
/// incoming message, copies into the owner's folders, and a reject of the incoming message.
/// </summary>
/// <param name="Address">The script's address.</param>
/// <param name="OwnerId">The owner's account: new messages are sent on its behalf, copies filed in its folders.</param>
/// <param name="Owner">The owner's address: the envelope sender of what the script sends, so bounces reach the owner.</param>
internal sealed record ScriptOutput(string Address, long OwnerId, string Owner)
{
    /// <summary>New messages: recipients and the composed bytes.</summary>
    public List<(IReadOnlyList<string> Recipients, byte[] Raw)> Sends { get; } = [];

    /// <summary>Forwards of the incoming message, unchanged.</summary>
    public List<IReadOnlyList<string>> Forwards { get; } = [];

    /// <summary>The owner's folders that get a copy of the incoming message.</summary>
    public List<string> Folders { get; } = [];

    /// <summary>When set, the incoming message is bounced to its sender with this reason.</summary>
    public string? Reject { get; set; }

    /// <summary>The code the bounce gives the address: <c>script.rejected</c> (the script's own reject) or <c>script.failed</c>.</summary>
    public string RejectCode { get; init; } = "script.rejected";
}
