namespace Butterfly.Storage.Tests;

/// <summary>
/// Occupies the store's writer with an operation that waits for <see cref="Release"/>, so work queued
/// meanwhile lands in one batch. Releases on dispose.
/// </summary>
internal sealed class WriterHold : IDisposable
{
    private readonly ManualResetEventSlim _gate = new();

    private WriterHold(MailStore store)
    {
        using var started = new ManualResetEventSlim();
        Completion = store.Writer.EnqueueAsync(
            _ =>
            {
                started.Set();
                _gate.Wait(TimeSpan.FromSeconds(30));
                return 0;
            },
            default);
        if (!started.Wait(TimeSpan.FromSeconds(10)))
        {
            throw new TimeoutException("The writer did not pick up the hold.");
        }
    }

    public Task<int> Completion { get; }

    public static WriterHold Start(MailStore store) => new(store);

    public void Release() => _gate.Set();

    public void Dispose()
    {
        _gate.Set();
        Completion.GetAwaiter().GetResult();
        _gate.Dispose();
    }
}
