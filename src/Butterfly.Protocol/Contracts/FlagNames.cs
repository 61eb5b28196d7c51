namespace Butterfly.Protocol.Contracts;

/// <summary>The message flag names used on the wire.</summary>
public static class FlagNames
{
    public const string Seen = "seen";
    public const string Flagged = "flagged";
    public const string Answered = "answered";
    public const string Draft = "draft";

    /// <summary>All flag names, in their canonical order.</summary>
    public static IReadOnlyList<string> All { get; } = [Seen, Flagged, Answered, Draft];

    /// <summary>True when <paramref name="name"/> is a known flag.</summary>
    /// <param name="name">A flag name from a request.</param>
    public static bool IsKnown(string? name) => name is Seen or Flagged or Answered or Draft;
}
