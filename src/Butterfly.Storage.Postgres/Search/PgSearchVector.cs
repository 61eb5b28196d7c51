namespace Butterfly.Storage.Postgres;

/// <summary>
/// A content's search vector: one place for the SQL that builds it (at store time and for the backlog)
/// and the query that matches it. Weights name the field a term may be looked for in (<see cref="SearchField"/>):
/// A subject, B sender, C recipients, D body and attachment names. Both sides see only the words
/// <see cref="PgSearchText"/> cut, through the configured text search configuration (which may stem).
/// </summary>
internal static class PgSearchVector
{
    /// <summary>
    /// The vector's expression; its parameters are <c>@cfg</c> and those of <see cref="Parameters"/>. A
    /// position of a lexeme no query names (a space) stands between the fields, as FTS5's columns stand
    /// apart: a phrase never runs from the end of one field into the next.
    /// </summary>
    public const string Sql =
        "setweight(to_tsvector(@cfg::regconfig, @vs), 'A') || " + Gap + "setweight(to_tsvector(@cfg::regconfig, @vf), 'B') || " + Gap
        + "setweight(to_tsvector(@cfg::regconfig, @vr), 'C') || " + Gap + "setweight(to_tsvector(@cfg::regconfig, @vb), 'D') || " + Gap
        + "setweight(to_tsvector(@cfg::regconfig, @va), 'D')";

    private const string Gap = "''' '':1'::tsvector || ";

    /// <summary>The query's expression, matched with <c>@@</c>; its parameters are <c>@cfg</c> and <c>@q</c> (<see cref="Query"/>).</summary>
    public const string QuerySql = "to_tsquery(@cfg::regconfig, @q)";

    /// <summary>The words of each field, for <see cref="Sql"/>; within <see cref="PgSearchText.VectorBudget"/>, fields in weight order.</summary>
    public static (string Name, object? Value)[] Parameters(string? subject, string? from, IEnumerable<string> recipients, ContentText? text)
    {
        var budget = PgSearchText.VectorBudget;
        var s = PgSearchText.Words(subject, ref budget);
        var f = PgSearchText.Words(from, ref budget);
        var r = PgSearchText.Words(string.Join(' ', recipients), ref budget);
        var b = PgSearchText.Words(text?.Body, ref budget);
        var a = text is null ? string.Empty : PgSearchText.Words(string.Join(' ', text.AttachmentNames), ref budget);
        return [("vs", s), ("vf", f), ("vr", r), ("vb", b), ("va", a)];
    }

    /// <summary>
    /// The <c>to_tsquery</c> text for <paramref name="terms"/>: all required, each a phrase of its words in
    /// its field's weight. The words are letters and digits only, so nothing the user typed is tsquery syntax.
    /// </summary>
    public static string Query(IReadOnlyList<SearchTerm> terms)
    {
        var parts = new List<string>(terms.Count);
        foreach (var term in terms)
        {
            var weight = term.Field switch
            {
                SearchField.Subject => ":A",
                SearchField.From => ":B",
                SearchField.To => ":C",
                _ => string.Empty,
            };
            var words = PgSearchText.Split(term.Text);
            if (words.Length > 0)
            {
                parts.Add("(" + string.Join(" <-> ", words.Select(w => $"'{w}'{weight}")) + ")");
            }
        }

        return string.Join(" & ", parts);
    }
}
