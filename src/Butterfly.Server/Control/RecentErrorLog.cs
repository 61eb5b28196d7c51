using Butterfly.Protocol.Contracts;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Control;

/// <summary>
/// A logger provider that keeps the latest error lines in memory, for <c>butterfly status</c>: an operator
/// asking "is it well?" sees the last failures without reading the journal. Bounded: the oldest go first.
/// </summary>
internal sealed class RecentErrorLog : ILoggerProvider
{
    /// <summary>Lines kept.</summary>
    public const int Capacity = 10;

    private readonly Lock _lock = new();
    private readonly Queue<StatusError> _errors = new();

    /// <summary>The kept lines, oldest first.</summary>
    public IReadOnlyList<StatusError> Latest
    {
        get
        {
            lock (_lock)
            {
                return [.. _errors];
            }
        }
    }

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private void Add(StatusError error)
    {
        lock (_lock)
        {
            if (_errors.Count == Capacity)
            {
                _errors.Dequeue();
            }

            _errors.Enqueue(error);
        }
    }

    private sealed class Logger(RecentErrorLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var message = formatter(state, exception);
            if (exception is not null)
            {
                message += $" ({exception.GetType().Name}: {exception.Message})";
            }

            log.Add(new StatusError(
                DateTimeOffset.UtcNow.ToString("o", System.Globalization.CultureInfo.InvariantCulture),
                category,
                message.ReplaceLineEndings(" ")));
        }
    }
}
