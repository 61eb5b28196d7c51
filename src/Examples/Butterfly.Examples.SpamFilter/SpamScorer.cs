using System.Globalization;
using System.Text;
using Butterfly.Filters;

namespace Butterfly.Examples.SpamFilter;

/// <summary>
/// Scores a message by the words it uses: the sum of the weights of the listed words found in
/// the subject and the readable text, once per occurrence, compared case-insensitively.
/// src/Examples/python/spam_filter.py implements the same rule; the two must agree (the tests run
/// both). They read the text a little differently at the edges: here MimeKit's text body, or its
/// HTML body as the text it shows; Python joins every inline text/plain part and turns each HTML
/// tag into a space. Messages with one text body, or one HTML body, score the same.
/// </summary>
internal sealed class SpamScorer
{
    /// <summary>The built-in words and weights (kept in step with DEFAULT_WORDS in spam_filter.py).</summary>
    public static readonly IReadOnlyDictionary<string, double> DefaultWords = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["viagra"] = 3.0,
        ["casino"] = 2.5,
        ["lottery"] = 2.5,
        ["jackpot"] = 2.5,
        ["winner"] = 2.0,
        ["prize"] = 2.0,
        ["bitcoin"] = 1.5,
        ["million"] = 1.5,
        ["cash"] = 1.5,
        ["free"] = 1.0,
        ["urgent"] = 1.0,
        ["guaranteed"] = 1.0,
        ["unsubscribe"] = 0.5,
    };

    private readonly Dictionary<string, double> _words;

    public SpamScorer(IReadOnlyDictionary<string, double> words)
    {
        _words = new Dictionary<string, double>(words, StringComparer.Ordinal);
    }

    /// <summary>The built-in list plus the words of <paramref name="path"/> ("word weight" per line, "#" comments).</summary>
    public static SpamScorer Load(string? path)
    {
        var words = new Dictionary<string, double>(DefaultWords, StringComparer.Ordinal);
        if (path is null)
        {
            return new SpamScorer(words);
        }

        var number = 0;
        foreach (var rawLine in File.ReadLines(path))
        {
            number++;
            var hash = rawLine.IndexOf('#', StringComparison.Ordinal);
            var line = (hash >= 0 ? rawLine[..hash] : rawLine).Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2 || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var weight))
            {
                throw new FormatException($"{path}:{number}: expected 'word weight'");
            }

            words[parts[0].ToLowerInvariant()] = weight;
        }

        return new SpamScorer(words);
    }

    /// <summary>The score of a message: its subject and its readable text, both read through MimeKit.</summary>
    public double Score(FilterMessage message) => Score(message.Mime.Subject + "\n" + message.GetText());

    /// <summary>The score of a text: each run of letters and digits is a word.</summary>
    public double Score(string text)
    {
        var total = 0.0;
        var word = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(char.ToLowerInvariant(c));
                continue;
            }

            total += Weight(word);
        }

        return total + Weight(word);
    }

    /// <summary>The header value: one decimal, invariant ("7.5", "0.0").</summary>
    public static string Format(double score) => score.ToString("0.0", CultureInfo.InvariantCulture);

    private double Weight(StringBuilder word)
    {
        if (word.Length == 0)
        {
            return 0;
        }

        var weight = _words.GetValueOrDefault(word.ToString());
        word.Clear();
        return weight;
    }
}
