using Butterfly.Protocol;

namespace Butterfly.Server;

/// <summary>The server's name and version, as it gives them in hello replies and trace fields.</summary>
public static class ServerInfo
{
    /// <summary>The product version, from the build.</summary>
    public static string Version => ButterflyVersion.Current;
}
