namespace Butterfly.Storage.Postgres.Internal;

/// <summary>
/// PostgreSQL's <c>text</c> cannot hold U+0000, which SQLite stores and mail can carry (an encoded-word subject, a
/// peer's error message). Every string bound for a text column goes through <see cref="Storable(string)"/>, so such a value
/// is stored with U+FFFD in its place rather than failing the write on every retry.
/// </summary>
internal static class PgText
{
    /// <summary>The character stored in place of U+0000.</summary>
    public const char NulReplacement = '\uFFFD';

    /// <summary><paramref name="text"/> with every U+0000 replaced by U+FFFD; the same instance when it has none.</summary>
    public static string Storable(string text) => text.Contains('\0', StringComparison.Ordinal) ? text.Replace('\0', NulReplacement) : text;

    /// <summary>A parameter value made storable: strings and string arrays cleaned, anything else as it is.</summary>
    public static object? Storable(object? value) => value switch
    {
        string text => Storable(text),
        string[] texts when Array.Exists(texts, t => t.Contains('\0', StringComparison.Ordinal)) => Array.ConvertAll(texts, Storable),
        _ => value,
    };
}
