namespace Butterfly.Server;

/// <summary>The server's name and version, as it gives them in hello replies and trace fields.</summary>
public static class ServerInfo
{
    /// <summary>The product version.</summary>
    public const string Version = "0.1";
}
