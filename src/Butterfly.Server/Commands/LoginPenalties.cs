using Butterfly.Server.Configuration;
using Butterfly.Server.Mail;

namespace Butterfly.Server.Commands;

/// <summary>
/// The failed-login penalty (the loginPenalty section; Dovecot's auth penalty, plus one per account):
/// an attempt first waits out the penalty of its source address and of the account it names, then
/// is checked. The wait comes before hashing, so guesses waiting hold no hashing slot, and it does not
/// depend on the password tried, so it tells nothing about it. Suspect attempts are then checked one
/// at a time (<see cref="SuspectLane"/>), so that logins with a clean record keep the hashing threads.
/// </summary>
internal sealed class LoginPenalties
{
    // Longer names are cut: the key only has to tell accounts apart, and memory stays bounded.
    private const int MaxAccountKeyLength = 320;

    private readonly PenaltyTable<SourceKey> _sources;
    private PenaltyTable<string>? _accounts;

    public LoginPenalties(LoginPenaltyOptions options, TimeProvider time)
    {
        Time = time;
        _sources = new PenaltyTable<SourceKey>(options, time);
        _accounts = options.PerAccount ? new PenaltyTable<string>(options, time) : null;
    }

    /// <summary>Takes a reloaded loginPenalty section (SIGHUP): the counts so far are kept, unless perAccount was turned off.</summary>
    /// <param name="options">The new section.</param>
    public void Apply(LoginPenaltyOptions options)
    {
        _sources.Apply(options);
        if (!options.PerAccount)
        {
            _accounts = null;
        }
        else if (_accounts is { } accounts)
        {
            accounts.Apply(options);
        }
        else
        {
            _accounts = new PenaltyTable<string>(options, Time);
        }
    }

    /// <summary>The clock the waits run on.</summary>
    public TimeProvider Time { get; }

    /// <summary>Sources with failures remembered.</summary>
    public int TrackedSources => _sources.Count;

    /// <summary>Accounts with failures remembered.</summary>
    public int TrackedAccounts => _accounts?.Count ?? 0;

    /// <summary>
    /// Checks that wait their turn here, one at a time, when their source or account has failures
    /// remembered: a crowd of guessers whose penalties end together then queues here, not in front
    /// of the hashing threads, where it would hold up everyone else's login.
    /// </summary>
    public SemaphoreSlim SuspectLane { get; } = new(1, 1);

    /// <summary>
    /// How long a login attempt from <paramref name="source"/> for <paramref name="user"/> must wait
    /// before it is checked, and whether it is suspect (its source or account has failures remembered)
    /// and so goes through <see cref="SuspectLane"/>.
    /// </summary>
    /// <param name="source">Where the attempt comes from.</param>
    /// <param name="user">The user it names, as given.</param>
    public (TimeSpan Wait, bool Suspect) WaitBefore(SourceKey source, string user)
    {
        var (wait, suspect) = _sources.Wait(source);
        if (Volatile.Read(ref _accounts) is { } accounts)
        {
            var (account, known) = accounts.Wait(AccountKey(user));
            wait = account > wait ? account : wait;
            suspect |= known;
        }

        return (wait, suspect);
    }

    /// <summary>Counts a failed login (unknown users too, so that the penalty tells nothing about which exist).</summary>
    /// <param name="source">Where it came from.</param>
    /// <param name="user">The user it named, as given.</param>
    /// <returns>The source's failures now, and the wait the next attempt from there (or for the account) will have.</returns>
    public (int Failures, TimeSpan Next) Failed(SourceKey source, string user)
    {
        var (failures, next) = _sources.Fail(source);
        if (Volatile.Read(ref _accounts) is { } accounts)
        {
            var (_, account) = accounts.Fail(AccountKey(user));
            next = account > next ? account : next;
        }

        return (failures, next);
    }

    /// <summary>Forgets the failures of the source and of the account after a successful login.</summary>
    /// <param name="source">Where it came from.</param>
    /// <param name="user">The user it named, as given.</param>
    public void Succeeded(SourceKey source, string user)
    {
        _sources.Clear(source);
        _accounts?.Clear(AccountKey(user));
    }

    private static string AccountKey(string user)
    {
        var key = Addresses.TryNormalize(user, out var normalized, out _) ? normalized : user.Trim().ToLowerInvariant();
        return key.Length <= MaxAccountKeyLength ? key : key[..MaxAccountKeyLength];
    }
}
