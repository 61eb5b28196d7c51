namespace Butterfly.Server.Configuration;

/// <summary>
/// The loginPenalty section of <c>butterfly.json</c>: how failed logins slow the next attempt, per
/// source address (an IPv4 address or an IPv6 /64) and per account (Dovecot's auth penalty). After
/// failure <c>n</c> the next check waits until <c>initialDelaySeconds × 2^(n−1)</c>, at most
/// <c>maxDelaySeconds</c>, has passed since that failure; the wait happens before any password is
/// hashed, so waiting guesses hold no hashing slot. A success, or a quiet <c>forgetAfterSeconds</c>,
/// clears the count. The right password always logs in once the wait is over.
/// </summary>
public sealed class LoginPenaltyOptions
{
    /// <summary>The wait after the first failure, in seconds; each further failure doubles it. Default 2; 0 turns penalties off.</summary>
    public double InitialDelaySeconds { get; set; } = 2;

    /// <summary>The longest wait, in seconds. Default 15.</summary>
    public double MaxDelaySeconds { get; set; } = 15;

    /// <summary>Seconds without a failure after which a source's or account's failures are forgotten. Default 900.</summary>
    public double ForgetAfterSeconds { get; set; } = 900;

    /// <summary>Whether failures also slow logins to the account from every address (guessing from many addresses). Default true.</summary>
    public bool PerAccount { get; set; } = true;

    /// <summary>Most sources (and, separately, accounts) remembered at once; past it the quietest are forgotten first. Default 100000.</summary>
    public int MaxTracked { get; set; } = 100_000;

    internal IEnumerable<string> Validate()
    {
        if (!(InitialDelaySeconds >= 0 && InitialDelaySeconds <= 3600))
        {
            yield return "loginPenalty.initialDelaySeconds must be between 0 and 3600.";
        }

        if (!(MaxDelaySeconds >= InitialDelaySeconds && MaxDelaySeconds <= 3600))
        {
            yield return "loginPenalty.maxDelaySeconds must be at least loginPenalty.initialDelaySeconds and at most 3600.";
        }

        if (!(ForgetAfterSeconds > 0))
        {
            yield return "loginPenalty.forgetAfterSeconds must be more than 0.";
        }

        if (MaxTracked < 16)
        {
            yield return "loginPenalty.maxTracked must be at least 16.";
        }
    }
}
