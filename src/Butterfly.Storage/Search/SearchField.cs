namespace Butterfly.Storage;

/// <summary>The indexed field a <see cref="SearchTerm"/> is looked for in.</summary>
public enum SearchField
{
    /// <summary>Any field: subject, addresses, body text, attachment names.</summary>
    Any,

    /// <summary>The From address (<c>from:</c>).</summary>
    From,

    /// <summary>The To and Cc addresses (<c>to:</c>).</summary>
    To,

    /// <summary>The subject (<c>subject:</c>).</summary>
    Subject,
}
