using Butterfly.Protocol.Contracts;
using Butterfly.Storage;

namespace Butterfly.Server.Wire;

/// <summary>Maps the store's flag bits to the wire's flag names.</summary>
internal static class FlagMapping
{
    private static readonly string[][] _names = BuildNames();

    public static IReadOnlyList<string> ToNames(MessageFlags flags) => _names[(int)flags & 0xF];

    public static bool TryParse(IReadOnlyList<string> names, out MessageFlags flags, out string? unknown)
    {
        flags = MessageFlags.None;
        unknown = null;
        foreach (var name in names)
        {
            switch (name)
            {
                case FlagNames.Seen: flags |= MessageFlags.Seen; break;
                case FlagNames.Flagged: flags |= MessageFlags.Flagged; break;
                case FlagNames.Answered: flags |= MessageFlags.Answered; break;
                case FlagNames.Draft: flags |= MessageFlags.Draft; break;
                default:
                    unknown = name;
                    return false;
            }
        }

        return true;
    }

    private static string[][] BuildNames()
    {
        var table = new string[16][];
        for (var bits = 0; bits < 16; bits++)
        {
            var list = new List<string>();
            if ((bits & (int)MessageFlags.Seen) != 0)
            {
                list.Add(FlagNames.Seen);
            }

            if ((bits & (int)MessageFlags.Flagged) != 0)
            {
                list.Add(FlagNames.Flagged);
            }

            if ((bits & (int)MessageFlags.Answered) != 0)
            {
                list.Add(FlagNames.Answered);
            }

            if ((bits & (int)MessageFlags.Draft) != 0)
            {
                list.Add(FlagNames.Draft);
            }

            table[bits] = [.. list];
        }

        return table;
    }
}
