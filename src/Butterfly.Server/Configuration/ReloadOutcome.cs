namespace Butterfly.Server.Configuration;

/// <summary>What a reload did.</summary>
/// <param name="Problem">Why the file was not taken (nothing changed), or null when it was.</param>
/// <param name="Applied">The keys whose new values are in effect.</param>
/// <param name="NeedRestart">The keys that changed in the file but keep their old values until a restart.</param>
public sealed record ReloadOutcome(string? Problem, IReadOnlyList<string> Applied, IReadOnlyList<string> NeedRestart)
{
    /// <summary>Whether the file was read and found valid.</summary>
    public bool Loaded => Problem is null;
}
