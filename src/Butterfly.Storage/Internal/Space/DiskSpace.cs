using System.Globalization;

namespace Butterfly.Storage.Internal;

/// <summary>
/// The room left for mail, and the reserve file kept in the data folder so that deleting mail still
/// commits when the disk is full. Room is the file system's free space plus the database's free pages
/// (deleted mail leaves free pages that new mail reuses; the file does not shrink), less the reserve
/// when it has been given away: that space is kept for deletes. New mail is refused while it would
/// leave less than <see cref="StoreOptions.MinFreeBytes"/>.
/// The file system's free space is read at every check (one statvfs: a few microseconds, 7 µs measured here on a loaded machine): with a
/// cached figure, mail arriving just after something else filled the disk would reach SQLite, which
/// fits it in the WAL it has, and then cannot checkpoint it into a database file that has no room
/// to grow, and every later write, deletes included, then needs new space. The free pages, which
/// need a query, are measured in the background (<see cref="Measure"/>, by the checkpointer).
/// The reserve (<see cref="ReserveFileName"/>, <see cref="StoreOptions.ReserveBytes"/>) is released by
/// the writer when a write that frees space finds the disk full, and made again once there is room
/// for it above the floor.
/// </summary>
internal sealed class DiskSpace
{
    /// <summary>The reserve file's name inside the data folder.</summary>
    public const string ReserveFileName = "butterfly.reserve";

    private readonly StoreOptions _options;
    private readonly string _reservePath;
    private readonly Lock _gate = new();
    private long _freePageBytes;
    private long _room = long.MaxValue;
    private volatile bool _reserveHeld;
    private bool _belowFloor;
    private bool _released;

    public DiskSpace(StoreOptions options)
    {
        _options = options;
        _reservePath = Path.Combine(options.DataDirectory, ReserveFileName);
    }

    /// <summary>The reserve file's path.</summary>
    public string ReservePath => _reservePath;

    /// <summary>Whether the reserve file is in place.</summary>
    public bool ReserveHeld => File.Exists(_reservePath);

    /// <summary>The room for new mail at the last background measurement, in bytes.</summary>
    public long Room => Volatile.Read(ref _room);

    /// <summary>Refuses new mail of <paramref name="bytes"/> when it would leave less room than the floor.</summary>
    /// <returns>The failure to answer with, or null when the mail may be stored.</returns>
    public StoreFailure? RefuseNewMail(long bytes)
    {
        var room = RoomWith(FreeOnDisk(), Volatile.Read(ref _freePageBytes), _reserveHeld);
        return room - bytes >= _options.MinFreeBytes ? null : Failures.StorageFull(_options.DataDirectory, room, _options.MinFreeBytes);
    }

    /// <summary>
    /// Measures the room: the file system's free space plus <paramref name="freePageBytes"/>; makes the
    /// reserve again when there is room for it. Logs the crossings of the floor once each way.
    /// </summary>
    /// <param name="freePageBytes">The database's free pages, in bytes.</param>
    public void Measure(long freePageBytes)
    {
        Volatile.Write(ref _freePageBytes, freePageBytes);
        var free = FreeOnDisk();
        var held = _reserveHeld = ReserveHeld;
        if (!held && _options.ReserveBytes > 0 && free >= _options.ReserveBytes + _options.MinFreeBytes && TryMakeReserve())
        {
            free -= _options.ReserveBytes;
            held = true;
        }

        var room = RoomWith(free, freePageBytes, held);
        Volatile.Write(ref _room, room);
        lock (_gate)
        {
            var below = room < _options.MinFreeBytes;
            if (below != _belowFloor)
            {
                _belowFloor = below;
                Notify(below
                    ? Invariant($"The data folder {_options.DataDirectory} has {room} bytes of room, under store.minFreeBytes ({_options.MinFreeBytes}): new mail is refused (storage.full) until space is freed; deleting and moving mail still work.")
                    : Invariant($"The data folder {_options.DataDirectory} has {room} bytes of room again: new mail is accepted."));
            }
        }
    }

    /// <summary>Deletes the reserve file, giving its space to the write that needs it.</summary>
    /// <returns>Whether a reserve was released now.</returns>
    public bool TryReleaseReserve()
    {
        lock (_gate)
        {
            if (!ReserveHeld)
            {
                return false;
            }

            File.Delete(_reservePath);
            _reserveHeld = false;
            _released = true;
            Notify(Invariant($"The disk of the data folder {_options.DataDirectory} is full: released the reserve {_reservePath} ({_options.ReserveBytes} bytes) so that deletes can commit; it is made again when space returns."));
            return true;
        }
    }

    private long FreeOnDisk() => new DriveInfo(_options.DataDirectory).AvailableFreeSpace;

    private long RoomWith(long free, long freePageBytes, bool reserveHeld) =>
        free + freePageBytes - (reserveHeld ? 0 : _options.ReserveBytes);

    private bool TryMakeReserve()
    {
        lock (_gate)
        {
            try
            {
                Write(_reservePath, _options.ReserveBytes);
            }
            catch (IOException)
            {
                // Someone else took the space meanwhile (the allocation failed): try again at the next measurement.
                File.Delete(_reservePath);
                return false;
            }

            _reserveHeld = true;
            if (_released)
            {
                _released = false;
                Notify(Invariant($"Space returned: made the disk reserve {_reservePath} ({_options.ReserveBytes} bytes) again."));
            }

            return true;
        }
    }

    private static void Write(string path, long size)
    {
        // Blocks allocated (fallocate), not a sparse file: the space must be there to give back. No
        // bytes are written, so making the reserve costs next to nothing.
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None, PreallocationSize = size };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = DataFolderAccess.PrivateFile;
        }

        using var file = new FileStream(path, options);
        file.SetLength(size);
    }

    private void Notify(string sentence) => _options.Notice?.Invoke(sentence);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
