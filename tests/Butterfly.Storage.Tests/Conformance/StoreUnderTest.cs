namespace Butterfly.Storage.Tests;

/// <summary>The stores the conformance suite holds to one behaviour, whichever database is behind them.</summary>
/// <param name="Accounts">Accounts and passwords.</param>
/// <param name="Folders">Folders.</param>
/// <param name="Messages">Messages.</param>
/// <param name="Deliveries">The delivery commit.</param>
/// <param name="Quotas">Usage and quotas.</param>
/// <param name="Submissions">Client submission ids.</param>
/// <param name="PeerRecords">Peer delivery ids.</param>
/// <param name="Queue">The queue.</param>
/// <param name="Changes">Changes since a state.</param>
/// <param name="Aliases">Aliases and catch-alls.</param>
/// <param name="Lists">Distribution lists.</param>
/// <param name="Scripts">Programmable addresses.</param>
/// <param name="SessionTokens">Web session tokens.</param>
/// <param name="Search">Search, threads and the indexing backlog.</param>
public sealed record StoreUnderTest(
    IAccountStore Accounts, IFolderStore Folders, IMessageStore Messages, IDeliveryStore Deliveries, IQuotaStore Quotas, ISubmissionStore Submissions,
    IPeerRecordStore PeerRecords, IQueueStore Queue, IChangeStore Changes, IAliasStore Aliases,
    IListStore Lists, IScriptStore Scripts, ISessionTokenStore SessionTokens, ISearchStore Search)
{
    /// <summary>Commits <paramref name="commit"/>, which must succeed, and gives the copies it stored.</summary>
    public async Task<IReadOnlyList<DeliveredCopy>> DeliverAsync(DeliveryCommit commit)
    {
        var result = await Deliveries.CommitAsync(commit);
        Assert.True(result.Ok, $"CommitAsync failed: {result.Detail}");
        return result.Value!.Copies;
    }
}
