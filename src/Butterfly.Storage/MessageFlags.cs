namespace Butterfly.Storage;

/// <summary>Flags a message carries in a folder.</summary>
[Flags]
public enum MessageFlags
{
    /// <summary>No flag.</summary>
    None = 0,

    /// <summary>The message has been read.</summary>
    Seen = 1,

    /// <summary>The message is marked for attention.</summary>
    Flagged = 2,

    /// <summary>The message has been answered.</summary>
    Answered = 4,

    /// <summary>The message is a draft and may be replaced.</summary>
    Draft = 8,
}
