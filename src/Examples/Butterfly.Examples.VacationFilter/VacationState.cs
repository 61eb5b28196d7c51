using System.Text.Json;

namespace Butterfly.Examples.VacationFilter;

/// <summary>
/// Who has been answered when, per vacationing account: a JSON file
/// (<c>{"bob@example.org": {"alice@example.org": "2026-11-22T02:00:00+00:00"}}</c>) rewritten
/// atomically (temporary file, flushed, renamed over the old one) before the reply leaves, so a
/// restart never answers the same sender twice within the period.
/// </summary>
internal sealed class VacationState
{
    private readonly Lock _lock = new();
    private readonly string _path;
    private readonly Dictionary<string, Dictionary<string, DateTimeOffset>> _answered;

    private VacationState(string path, Dictionary<string, Dictionary<string, DateTimeOffset>> answered)
    {
        _path = path;
        _answered = answered;
    }

    /// <summary>Reads the state file (none yet: nobody answered).</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="FormatException">The file is not the state's JSON.</exception>
    public static VacationState Open(string path)
    {
        try
        {
            return new(path, Load(path));
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path}: not a vacation state file: {e.Message}", e);
        }
    }

    /// <summary>
    /// Records that <paramref name="account"/> answers <paramref name="sender"/> now, unless it
    /// did within <paramref name="period"/>; true when a reply should go out.
    /// </summary>
    public bool TryClaim(string account, string sender, DateTimeOffset now, TimeSpan period)
    {
        lock (_lock)
        {
            account = account.ToLowerInvariant();
            sender = sender.ToLowerInvariant();
            if (!_answered.TryGetValue(account, out var senders))
            {
                senders = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
                _answered[account] = senders;
            }

            if (senders.TryGetValue(sender, out var last) && now - last < period)
            {
                return false;
            }

            senders[sender] = now;

            // Forget what is older than the period, so the file does not grow forever.
            foreach (var old in senders.Where(s => now - s.Value >= period).Select(s => s.Key).ToList())
            {
                senders.Remove(old);
            }

            Save();
            return true;
        }
    }

    private static Dictionary<string, Dictionary<string, DateTimeOffset>> Load(string path)
    {
        if (!File.Exists(path))
        {
            return new(StringComparer.Ordinal);
        }

        var text = File.ReadAllText(path);
        var loaded = text.Length == 0
            ? null
            : JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, DateTimeOffset>>>(text);
        var state = new Dictionary<string, Dictionary<string, DateTimeOffset>>(StringComparer.Ordinal);
        foreach (var (account, senders) in loaded ?? [])
        {
            state[account.ToLowerInvariant()] = (senders ?? new Dictionary<string, DateTimeOffset>()).ToDictionary(s => s.Key.ToLowerInvariant(), s => s.Value, StringComparer.Ordinal);
        }

        return state;
    }

    private void Save()
    {
        var temporary = _path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, _answered, new JsonSerializerOptions { WriteIndented = true });
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, _path, overwrite: true);
    }
}
