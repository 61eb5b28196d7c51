namespace Butterfly.Storage;

/// <summary>
/// One mail database and the stores that share it, whichever database it is: SQLite in the data folder
/// (<see cref="MailStore"/>, one daemon) or PostgreSQL (Butterfly.Storage.Postgres, any number of daemons).
/// The daemon and the operator's tools see only this; what a store must promise is in
/// src/Butterfly.Storage/README.md, "Contracts".
/// </summary>
public interface IMailStore : IAsyncDisposable
{
    /// <summary>Accounts and passwords.</summary>
    IAccountStore Accounts { get; }

    /// <summary>Each account's folders.</summary>
    IFolderStore Folders { get; }

    /// <summary>The messages in the folders.</summary>
    IMessageStore Messages { get; }

    /// <summary>Outbound mail and held inbound mail.</summary>
    IQueueStore Queue { get; }

    /// <summary>The delivery ids received from peer servers.</summary>
    IPeerRecordStore PeerRecords { get; }

    /// <summary>Full-text search and threads.</summary>
    ISearchStore Search { get; }

    /// <summary>Programmable addresses: the allow list, scripts, their state and run log.</summary>
    IScriptStore Scripts { get; }

    /// <summary>Web session tokens (their hashes).</summary>
    ISessionTokenStore SessionTokens { get; }

    /// <summary>The delivery commit: copies, queue entries and peer records in one transaction.</summary>
    IDeliveryStore Deliveries { get; }

    /// <summary>Client submission ids and their answers, for exactly-once retries of send and message.store.</summary>
    ISubmissionStore Submissions { get; }

    /// <summary>Each account's storage usage and quota.</summary>
    IQuotaStore Quotas { get; }

    /// <summary>Aliases and catch-alls.</summary>
    IAliasStore Aliases { get; }

    /// <summary>Distribution lists and their members.</summary>
    IListStore Lists { get; }

    /// <summary>What changed since a state, and how long the records of it are kept.</summary>
    IChangeStore Changes { get; }

    /// <summary>Whether the store is open (not disposed yet).</summary>
    bool IsOpen { get; }

    /// <summary>Which database this is, for the log and <c>status</c>: "SQLite /path/mail.db", "PostgreSQL host:port/db".</summary>
    string Description { get; }

    /// <summary>
    /// Tells <paramref name="listener"/> after each commit which accounts changed and their new state, including
    /// commits made by other daemons on the same database. It must return at once (hand the states to a queue)
    /// and never throw. Dispose the result to stop.
    /// </summary>
    IDisposable OnCommitted(Action<IReadOnlyList<AccountState>> listener);
}
