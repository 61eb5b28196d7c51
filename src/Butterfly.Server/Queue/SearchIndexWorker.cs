using Butterfly.Mime;
using Butterfly.Server.Mail;
using Butterfly.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Queue;

/// <summary>
/// Indexes mail stored before the search index existed (after an upgrade), or left unindexed by a crash
/// (the store indexes new mail just after its commit, from the text its delivery extracted), in the
/// background, a batch per transaction, oldest first, with progress in the log. Resumable: each content
/// leaves the store's backlog in the transaction that indexes it, so a restart carries on where it
/// stopped. Mail stored since the start never waits here.
/// </summary>
internal sealed class SearchIndexWorker : BackgroundService
{
    private const int BatchSize = 200;
    private static readonly TimeSpan _progressEvery = TimeSpan.FromSeconds(5);
    private readonly IMailStore _store;
    private readonly ParserOptions _parser;
    private readonly ILogger _logger;

    public SearchIndexWorker(IMailStore store, ILoggerFactory loggers)
    {
        _store = store;
        _parser = ParserOptions.Default;
        _logger = loggers.CreateLogger("Butterfly.Search");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var total = await _store.Search.PendingCountAsync(stoppingToken);
            if (total == 0)
            {
                return;
            }

            _logger.LogInformation("Search index: {Total} messages stored before the index are being indexed in the background.", total);
            var done = 0L;
            var lastReport = DateTimeOffset.UtcNow;
            while (true)
            {
                var batch = await _store.Search.PendingAsync(BatchSize, stoppingToken);
                if (batch.Count == 0)
                {
                    break;
                }

                // Parsing runs here, on a pool thread; the writer only inserts.
                var items = batch.Select(p => (p.ContentId, SearchText.Extract(p.Data, _parser))).ToList();
                await _store.Search.IndexPendingAsync(items, stoppingToken);
                done += batch.Count;
                if (DateTimeOffset.UtcNow - lastReport >= _progressEvery)
                {
                    lastReport = DateTimeOffset.UtcNow;
                    _logger.LogInformation("Search index: {Done} of {Total} older messages indexed.", done, total);
                }
            }

            _logger.LogInformation("Search index: all {Done} older messages indexed.", done);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            _logger.LogInformation("Search index: stopped; indexing of older messages resumes at the next start.");
        }
    }
}
