using Butterfly.Protocol.Contracts;
using Butterfly.Server.Wire;

namespace Butterfly.Server.Control;

/// <summary>The control socket's hello (protocol/control.md, "hello").</summary>
internal static class ControlHello
{
    public static ValueTask<Reply> Handle(ControlRequest request) =>
        ValueTask.FromResult(HelloAnswer.Answer(request.Head, request.Services.Options, reply => reply with
        {
            DataDirectory = request.Services.Options.ResolvedDataDirectory,

            // What this daemon answers: a newer CLI can tell a command the daemon does not know yet.
            Commands = ControlCommandNames.All,
        }));
}
