using Butterfly.Server.Wire;

namespace Butterfly.Server.Control;

/// <summary>The control socket's hello (protocol/control.md, "hello").</summary>
internal static class ControlHello
{
    public static ValueTask<Reply> Handle(ControlRequest request) =>
        ValueTask.FromResult(HelloReply.Answer(request.Head, request.Services.Options, request.Services.Options, static (w, o) =>
        {
            w.WriteString("dataDirectory", o.ResolvedDataDirectory);

            // What this daemon answers: a newer CLI can tell a command the daemon does not know yet.
            w.WriteStartArray("commands");
            foreach (var name in ControlCommandNames.All)
            {
                w.WriteStringValue(name);
            }

            w.WriteEndArray();
        }));
}
