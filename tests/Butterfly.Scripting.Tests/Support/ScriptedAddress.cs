namespace Butterfly.Scripting.Tests.Support;

/// <summary>
/// One address running an example script through the engine, as the server would: the state carried from
/// run to run, a clock the test moves, and the schedule fired when its time comes.
/// </summary>
internal sealed class ScriptedAddress
{
    private long _seed;
    private int _messageNumber;

    public ScriptedAddress(string exampleFile, string address, DateTimeOffset start)
    {
        Script = Scripts.Compile(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Examples", exampleFile)));
        Address = address;
        Now = start;
        NextSchedule = Script.Schedule?.NextAfter(start);
    }

    public PreparedScript Script { get; }

    public string Address { get; }

    public DateTimeOffset Now { get; private set; }

    public DateTimeOffset? NextSchedule { get; private set; }

    public string State { get; private set; } = "{}";

    public List<string> Log { get; } = [];

    /// <summary>A message from <paramref name="from"/> at the current time; returns the run's effects.</summary>
    public IReadOnlyList<ScriptEffect> Receive(string from, string subject, string text = "", string? extraHeaders = null, string? envelopeFrom = null)
    {
        var raw = $"From: {from}\r\nTo: {Address}\r\nSubject: {subject}\r\nMessage-ID: <{++_messageNumber}@test>\r\n{extraHeaders}\r\n{text}\r\n";
        var message = ScriptMessage.Read(System.Text.Encoding.UTF8.GetBytes(raw), envelopeFrom ?? from, [Address]);
        return Apply(Scripts.Runner.RunMessage(Script, message, Context(), ScriptLimits.Default, CancellationToken.None));
    }

    /// <summary>Moves the clock to <paramref name="until"/>, running onSchedule at each time it falls due; returns those runs' effects.</summary>
    public IReadOnlyList<ScriptEffect> AdvanceTo(DateTimeOffset until)
    {
        var effects = new List<ScriptEffect>();
        while (NextSchedule is { } due && due <= until)
        {
            Now = due;
            effects.AddRange(Apply(Scripts.Runner.RunSchedule(Script, Context(), ScriptLimits.Default, CancellationToken.None)));
            NextSchedule = Script.Schedule!.NextAfter(due);
        }

        Now = until;
        return effects;
    }

    public IReadOnlyList<ScriptEffect> Advance(TimeSpan by) => AdvanceTo(Now + by);

    private ScriptRunContext Context() => new(Address, "owner@example.org", "example.org", Now, ++_seed, State);

    private IReadOnlyList<ScriptEffect> Apply(ScriptRunResult result)
    {
        Scripts.Succeeded(result);
        State = result.StateJson;
        Log.AddRange(result.Log);
        return result.Effects;
    }
}
