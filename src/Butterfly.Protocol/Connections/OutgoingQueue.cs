namespace Butterfly.Protocol.Connections;

/// <summary>
/// The frames waiting for the writer: a ring buffer under a lock, empty until the first frame and
/// given back once drained after a burst. A <c>ConcurrentQueue</c> holds a 32-slot segment (2 KB)
/// from its creation and keeps its largest tail segment after a burst, on every idle connection.
/// </summary>
internal sealed class OutgoingQueue
{
    // The ring is kept when drained up to this size; a larger one (a burst) is given back.
    private const int KeptCapacity = 8;
    private const int FirstCapacity = 4;

    private readonly Lock _lock = new();
    private OutgoingFrame[] _items = [];
    private int _head;
    private int _count;

    /// <summary>True when no frame is waiting.</summary>
    public bool IsEmpty => Volatile.Read(ref _count) == 0;

    /// <summary>Adds a frame at the end.</summary>
    public void Enqueue(in OutgoingFrame frame)
    {
        lock (_lock)
        {
            if (_count == _items.Length)
            {
                Grow();
            }

            _items[(_head + _count) % _items.Length] = frame;
            Volatile.Write(ref _count, _count + 1);
        }
    }

    /// <summary>Takes the first frame; false when there is none.</summary>
    public bool TryDequeue(out OutgoingFrame frame)
    {
        lock (_lock)
        {
            if (_count == 0)
            {
                frame = default;
                return false;
            }

            frame = _items[_head];
            _items[_head] = default;
            _head = (_head + 1) % _items.Length;
            Volatile.Write(ref _count, _count - 1);
            if (_count == 0)
            {
                _head = 0;
                if (_items.Length > KeptCapacity)
                {
                    _items = [];
                }
            }

            return true;
        }
    }

    private void Grow()
    {
        var grown = new OutgoingFrame[_items.Length == 0 ? FirstCapacity : _items.Length * 2];
        for (var i = 0; i < _count; i++)
        {
            grown[i] = _items[(_head + i) % _items.Length];
        }

        _items = grown;
        _head = 0;
    }
}
