namespace Butterfly.Server.Scripts;

/// <summary>
/// One run at a time per address: the message worker and the schedule worker take an address's lane
/// before a run and give it back after its commit, so a script never sees two of its own runs at
/// once (its author need not worry about messages arriving together) and a run's state is the
/// state the previous run committed.
/// </summary>
internal sealed class ScriptLanes
{
    private readonly HashSet<string> _busy = new(StringComparer.Ordinal);

    /// <summary>Takes the lane of <paramref name="address"/>; false when a run holds it.</summary>
    public bool TryEnter(string address)
    {
        lock (_busy)
        {
            return _busy.Add(address);
        }
    }

    /// <summary>Gives the lane back.</summary>
    public void Exit(string address)
    {
        lock (_busy)
        {
            _busy.Remove(address);
        }
    }

    /// <summary>How many lanes are taken.</summary>
    public int Busy
    {
        get
        {
            lock (_busy)
            {
                return _busy.Count;
            }
        }
    }
}
