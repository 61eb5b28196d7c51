using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server;

/// <summary>
/// The store's sentences about disk space (floor crossed, reserve released or made), logged as
/// warnings. The store opens before the host's loggers exist: what it says until then is kept and
/// logged when the logger is attached.
/// </summary>
internal sealed class StoreNotices
{
    private readonly ConcurrentQueue<string> _early = new();
    private ILogger? _logger;

    /// <summary>Logs <paramref name="sentence"/>, or keeps it until a logger is attached.</summary>
    public void Tell(string sentence)
    {
        if (Volatile.Read(ref _logger) is { } logger)
        {
            logger.LogWarning("{Notice}", sentence);
            return;
        }

        _early.Enqueue(sentence);
        if (Volatile.Read(ref _logger) is not null)
        {
            Flush();
        }
    }

    /// <summary>Logs what was said so far, and everything from now on, to <paramref name="logger"/>.</summary>
    public void Attach(ILogger logger)
    {
        Volatile.Write(ref _logger, logger);
        Flush();
    }

    private void Flush()
    {
        while (_logger is { } logger && _early.TryDequeue(out var sentence))
        {
            logger.LogWarning("{Notice}", sentence);
        }
    }
}
