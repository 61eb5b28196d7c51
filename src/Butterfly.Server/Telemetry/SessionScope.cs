using System.Collections;

namespace Butterfly.Server.Telemetry;

/// <summary>
/// The logging scope of one connection: every line logged while it runs (its commands, their deliveries,
/// their errors) carries the session id (the hello reply's <c>connection</c>) and the remote end. Text logs
/// show it after <c>=&gt;</c>; JSON logs as <c>SessionId</c> and <c>Remote</c> in <c>Scopes</c>.
/// </summary>
/// <param name="SessionId">The connection id.</param>
/// <param name="Remote">The remote end.</param>
internal sealed record SessionScope(string SessionId, string Remote) : IReadOnlyList<KeyValuePair<string, object?>>
{
    /// <inheritdoc/>
    public int Count => 3;

    /// <inheritdoc/>
    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new(nameof(SessionId), SessionId),
        1 => new(nameof(Remote), Remote),
        2 => new("{OriginalFormat}", "session {SessionId} {Remote}"),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    /// <inheritdoc/>
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc/>
    public override string ToString() => $"session {SessionId} {Remote}";
}
