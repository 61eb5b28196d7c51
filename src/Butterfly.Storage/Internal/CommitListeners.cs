namespace Butterfly.Storage.Internal;

/// <summary>
/// The listeners a store tells after each commit which accounts changed (<see cref="IMailStore.OnCommitted"/>), for
/// both databases: adding and removing copy the array, so telling them takes no lock; a listener that throws is
/// ignored, since the data is committed whatever it does.
/// </summary>
internal sealed class CommitListeners
{
    private Action<IReadOnlyList<AccountState>>[] _listeners = [];

    /// <summary>Whether any listener is there (worth building the states for).</summary>
    public bool Any => Volatile.Read(ref _listeners).Length > 0;

    /// <summary>Adds a listener. Dispose the result to remove it.</summary>
    public IDisposable Add(Action<IReadOnlyList<AccountState>> listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        Update(listeners => [.. listeners, listener]);
        return new Unsubscriber(() => Update(listeners => [.. listeners.Where(l => l != listener)]));
    }

    /// <summary>Tells every listener <paramref name="states"/>; each must return at once.</summary>
    public void Tell(IReadOnlyList<AccountState> states)
    {
        foreach (var listener in Volatile.Read(ref _listeners))
        {
            try
            {
                listener(states);
            }
            catch (Exception)
            {
                // A listener's bug must not stop the writer or fail a write that has committed.
            }
        }
    }

    private void Update(Func<Action<IReadOnlyList<AccountState>>[], Action<IReadOnlyList<AccountState>>[]> change)
    {
        while (true)
        {
            var current = Volatile.Read(ref _listeners);
            if (Interlocked.CompareExchange(ref _listeners, change(current), current) == current)
            {
                return;
            }
        }
    }

    private sealed class Unsubscriber(Action remove) : IDisposable
    {
        private Action? _remove = remove;

        public void Dispose() => Interlocked.Exchange(ref _remove, null)?.Invoke();
    }
}
