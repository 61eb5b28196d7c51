using Butterfly.Protocol.Contracts;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Commands;
using Butterfly.Server.Wire;

namespace Butterfly.Server.Control;

/// <summary>The control socket's hello (protocol/control.md, "hello").</summary>
internal static class ControlHello
{
    public static ValueTask<Reply> Handle(ControlRequest request)
    {
        if (!Fields.TryLong(request.Head, "version", out var version, out var error, min: 0, max: int.MaxValue))
        {
            return ValueTask.FromResult(error);
        }

        if (version is not null && version != ProtocolVersion.Current)
        {
            return ValueTask.FromResult(Reply.Fail(
                ErrorCode.HelloVersionUnsupported,
                $"This server speaks protocol version {ProtocolVersion.Current}, not {version}."));
        }

        return ValueTask.FromResult(JsonReply.Ok(request.Services.Options, static (w, o) =>
        {
            w.WriteNumber("version", ProtocolVersion.Current);
            w.WriteString("server", $"butterfly/{ServerInfo.Version} {o.EffectiveServerName}");
            w.WriteString("dataDirectory", o.ResolvedDataDirectory);
            w.WriteStartArray("domains");
            foreach (var domain in o.Domains)
            {
                w.WriteStringValue(domain);
            }

            w.WriteEndArray();

            // What this daemon answers: a newer CLI can tell a command the daemon does not know yet.
            w.WriteStartArray("commands");
            foreach (var name in ControlCommandNames.All)
            {
                w.WriteStringValue(name);
            }

            w.WriteEndArray();
        }));
    }
}
