namespace Butterfly.Server.Configuration;

/// <summary>Client submission ids (<c>submissions</c> in butterfly.json; protocol/client.md, "Submission ids").</summary>
public sealed class SubmissionOptions
{
    /// <summary>
    /// Seconds a submission id and its answer are kept after the first commit (default 7 days): a retry
    /// within the window gets the first answer, a later one is a new message. Longer than any client
    /// keeps retrying; each record is a few hundred bytes.
    /// </summary>
    public double RetentionSeconds { get; set; } = 7 * 24 * 3600;

    /// <summary>Checks the values; returns one line per problem.</summary>
    internal IEnumerable<string> Validate()
    {
        if (!(RetentionSeconds >= 60))
        {
            yield return "submissions.retentionSeconds must be at least 60.";
        }
    }
}
