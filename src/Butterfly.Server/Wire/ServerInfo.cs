using Butterfly.Protocol;
using Butterfly.Server.Configuration;

namespace Butterfly.Server.Wire;

/// <summary>The server's name and version, as it gives them in hello requests and replies and in trace fields.</summary>
public static class ServerInfo
{
    /// <summary>The product version, from the build.</summary>
    public static string Version => ButterflyVersion.Current;

    /// <summary>How this server names itself in a hello: <c>butterfly/VERSION SERVER-NAME</c>.</summary>
    /// <param name="options">The configuration, for the server name.</param>
    public static string Product(ButterflyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return $"butterfly/{Version} {options.EffectiveServerName}";
    }
}
