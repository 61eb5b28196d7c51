using Butterfly.Protocol.Contracts;

namespace Butterfly.Server.Events;

/// <summary>Event kinds by wire name; <c>message</c> and <c>folder</c> name their groups.</summary>
internal static class EventKindNames
{
    private static readonly (string Name, EventKinds Kind)[] _names =
    [
        (EventNames.MessageAdded, EventKinds.MessageAdded),
        (EventNames.MessageFlags, EventKinds.MessageFlags),
        (EventNames.MessageMoved, EventKinds.MessageMoved),
        (EventNames.MessageRemoved, EventKinds.MessageRemoved),
        (EventNames.FolderCreated, EventKinds.FolderCreated),
        (EventNames.FolderRenamed, EventKinds.FolderRenamed),
        (EventNames.FolderDeleted, EventKinds.FolderDeleted),
        (EventNames.Quota, EventKinds.Quota),
        ("message", EventKinds.Messages),
        ("folder", EventKinds.Folders),
    ];

    /// <summary>The kinds named; false with the first unknown name.</summary>
    public static bool TryParse(IReadOnlyList<string> names, out EventKinds kinds, out string? unknown)
    {
        kinds = EventKinds.None;
        unknown = null;
        foreach (var name in names)
        {
            var match = Array.FindIndex(_names, n => n.Name == name);
            if (match < 0)
            {
                unknown = name;
                return false;
            }

            kinds |= _names[match].Kind;
        }

        return true;
    }

    /// <summary>The wire names of single kinds in <paramref name="kinds"/>, in <see cref="EventNames.All"/> order.</summary>
    public static IReadOnlyList<string> ToNames(EventKinds kinds)
        => [.. _names.Where(n => n.Kind.IsSingle() && (kinds & n.Kind) != 0).Select(n => n.Name)];

    private static bool IsSingle(this EventKinds kind) => ((int)kind & ((int)kind - 1)) == 0;
}
