namespace Butterfly.Examples.ListFilter;

/// <summary>
/// The list's members: the filter's own state file, one address per line ("#" comments). It is
/// read for every post, so an operator may edit it while the filter runs; the filter rewrites
/// it atomically (a temporary file renamed over it) when someone subscribes or unsubscribes.
/// </summary>
internal sealed class MemberList(string path)
{
    private readonly Lock _lock = new();

    public string Path { get; } = path;

    /// <summary>The members in file order, each once (addresses compared case-insensitively).</summary>
    public IReadOnlyList<string> Read()
    {
        lock (_lock)
        {
            return ReadUnlocked();
        }
    }

    /// <summary>Adds an address; false when it was a member already.</summary>
    public bool Add(string address)
    {
        lock (_lock)
        {
            var members = ReadUnlocked().ToList();
            if (members.Contains(address, StringComparer.OrdinalIgnoreCase))
            {
                return false;
            }

            members.Add(address);
            Write(members);
            return true;
        }
    }

    /// <summary>Removes an address; false when it was not a member.</summary>
    public bool Remove(string address)
    {
        lock (_lock)
        {
            var members = ReadUnlocked().ToList();
            if (members.RemoveAll(m => string.Equals(m, address, StringComparison.OrdinalIgnoreCase)) == 0)
            {
                return false;
            }

            Write(members);
            return true;
        }
    }

    private List<string> ReadUnlocked()
    {
        var members = new List<string>();
        if (!File.Exists(Path))
        {
            return members;
        }

        foreach (var raw in File.ReadLines(Path))
        {
            var hash = raw.IndexOf('#', StringComparison.Ordinal);
            var line = (hash >= 0 ? raw[..hash] : raw).Trim();
            if (line.Length > 0 && !members.Contains(line, StringComparer.OrdinalIgnoreCase))
            {
                members.Add(line);
            }
        }

        return members;
    }

    private void Write(List<string> members)
    {
        // Write beside the file and rename over it: a crash leaves the old list or the new one, never half of one.
        var temporary = Path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        using (var writer = new StreamWriter(stream))
        {
            foreach (var member in members)
            {
                writer.Write(member);
                writer.Write('\n');
            }

            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, Path, overwrite: true);
    }
}
