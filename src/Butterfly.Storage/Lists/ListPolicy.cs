namespace Butterfly.Storage;

/// <summary>Who may post to a distribution list.</summary>
public enum ListPolicy
{
    /// <summary>Only its members (by envelope sender).</summary>
    Members = 0,

    /// <summary>Anyone.</summary>
    Anyone = 1,

    /// <summary>Only its owner.</summary>
    Owner = 2,
}
