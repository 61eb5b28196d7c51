namespace Butterfly.Server.Control;

/// <summary>Where the operator's control socket lives (protocol/control.md, "Transport").</summary>
public static class ControlSocket
{
    /// <summary>The socket's file name inside the data folder.</summary>
    public const string FileName = "control.sock";

    /// <summary>The control socket of <paramref name="dataFolder"/>.</summary>
    /// <param name="dataFolder">A data folder.</param>
    public static string PathIn(string dataFolder) => Path.Combine(dataFolder, FileName);

    /// <summary>The mode of the socket file: the daemon's user only (control.md, "Who may connect").</summary>
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The largest request frame the daemon accepts: operator requests are small.</summary>
    public const int MaxRequestFrameBytes = 64 * 1024;
}
