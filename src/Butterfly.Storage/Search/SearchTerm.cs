namespace Butterfly.Storage;

/// <summary>One text condition of a search: words that must appear together, in order, in a field.</summary>
/// <param name="Field">Where they must appear.</param>
/// <param name="Text">The words, as the user typed them (a single word or a phrase).</param>
public sealed record SearchTerm(SearchField Field, string Text);
