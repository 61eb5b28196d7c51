namespace Butterfly.Server.Dns.Internal;

/// <summary>The order in which to try SRV targets (RFC 2782, "Usage rules").</summary>
internal static class SrvOrdering
{
    /// <summary>
    /// Lowest priority first; within one priority, repeatedly pick a record at random with probability
    /// proportional to its weight, zero-weight records placed first so they keep a small chance.
    /// </summary>
    public static List<SrvRecord> Order(IEnumerable<SrvRecord> records, Random random)
    {
        var ordered = new List<SrvRecord>();
        foreach (var group in records.GroupBy(r => r.Priority).OrderBy(g => g.Key))
        {
            var pending = group.OrderBy(r => r.Weight == 0 ? 0 : 1).ToList();
            while (pending.Count > 0)
            {
                long sum = 0;
                foreach (var record in pending)
                {
                    sum += record.Weight;
                }

                var pick = random.NextInt64(0, sum + 1);
                long running = 0;
                var chosen = pending.Count - 1;
                for (var i = 0; i < pending.Count; i++)
                {
                    running += pending[i].Weight;
                    if (running >= pick)
                    {
                        chosen = i;
                        break;
                    }
                }

                ordered.Add(pending[chosen]);
                pending.RemoveAt(chosen);
            }
        }

        return ordered;
    }
}
