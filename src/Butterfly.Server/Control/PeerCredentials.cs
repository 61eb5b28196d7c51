using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Butterfly.Server.Control;

/// <summary>
/// Who is at the other end of a UNIX socket connection: on Linux the kernel's record of the
/// connecting process (SO_PEERCRED), read with one getsockopt. Elsewhere nothing is read and the
/// socket file's mode is the only check (control.md, "Who may connect").
/// </summary>
internal static class PeerCredentials
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    /// <summary>The effective uid of this process; null where there is none (Windows).</summary>
    public static uint? OwnUid { get; } = OperatingSystem.IsWindows() ? null : GetEffectiveUid();

    /// <summary>Reads the peer's process id and user id.</summary>
    /// <param name="socket">An accepted UNIX socket.</param>
    /// <param name="pid">The peer's process id.</param>
    /// <param name="uid">The peer's user id.</param>
    /// <returns>False where the platform does not tell.</returns>
    public static bool TryRead(Socket socket, out int pid, out uint uid)
    {
        pid = 0;
        uid = 0;
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
        Span<byte> credentials = stackalloc byte[12];
        if (socket.GetRawSocketOption(SolSocket, SoPeerCred, credentials) < 8)
        {
            return false;
        }

        // Native byte order, as the kernel filled it in.
        pid = MemoryMarshal.Read<int>(credentials);
        uid = MemoryMarshal.Read<uint>(credentials[4..]);
        return true;
    }

    /// <summary>Whether a peer with <paramref name="uid"/> may use the control socket: the daemon's own user, or root.</summary>
    /// <param name="uid">The peer's user id.</param>
    public static bool MayOperate(uint uid) => uid == 0 || uid == OwnUid;

    // A plain DllImport: a blittable call with no marshalling, so the project needs no unsafe code for it.
    [DllImport("libc", EntryPoint = "geteuid")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern uint GetEffectiveUid();
}
