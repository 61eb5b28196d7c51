using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Butterfly.TestUtilities;

/// <summary>
/// Freezes a child process (SIGSTOP) and lets it go on (SIGCONT): for a test that must act while a fast client is
/// still midway, whatever the machine's speed.
/// </summary>
public static partial class ProcessPause
{
    private const int SigCont = 18;
    private const int SigStop = 19;

    /// <summary>Stops <paramref name="process"/> where it is; it runs no instruction until <see cref="Continue"/>.</summary>
    public static void Stop(Process process) => Send(process, SigStop);

    /// <summary>Lets a stopped <paramref name="process"/> go on.</summary>
    public static void Continue(Process process) => Send(process, SigCont);

    private static void Send(Process process, int signal)
    {
        ArgumentNullException.ThrowIfNull(process);
        if (SysKill(process.Id, signal) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), $"kill({process.Id}, {signal}) failed");
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SysKill(int pid, int signal);
}
