namespace Butterfly.Server.Configuration;

/// <summary>Push events and "changes since" (<c>events</c> in butterfly.json; protocol/client.md, "Events").</summary>
public sealed class EventOptions
{
    /// <summary>
    /// Events a session may have waiting to be written before it is cut off with one <c>events.overflow</c>
    /// (a client that does not read never slows anyone else down nor grows the server's memory). Default 1000.
    /// </summary>
    public int MaxQueuedPerSession { get; set; } = 1000;

    /// <summary>
    /// Days removed messages and folder changes are remembered for <c>changes</c>; a client further behind
    /// gets <c>state.too-old</c> and lists again. Default 30.
    /// </summary>
    public double ChangesRetentionDays { get; set; } = 30;

    /// <summary>Checks the values; returns one line per problem.</summary>
    public IEnumerable<string> Validate()
    {
        if (MaxQueuedPerSession < 1)
        {
            yield return "events.maxQueuedPerSession must be at least 1.";
        }

        if (!(ChangesRetentionDays > 0))
        {
            yield return "events.changesRetentionDays must be a positive number of days.";
        }
    }
}
