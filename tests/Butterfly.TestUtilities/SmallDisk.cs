using System.Diagnostics;
using System.Globalization;

namespace Butterfly.TestUtilities;

/// <summary>
/// A small file system of its own (a tmpfs of a few MiB) mounted on a folder, for tests of a full
/// disk; unmounted on dispose. Mounting needs root (CI runs the tests as root): without it the test
/// fails with a message that says so, rather than skip and prove nothing.
/// </summary>
public sealed class SmallDisk : IDisposable
{
    private SmallDisk(string path, long size)
    {
        Path = path;
        Size = size;
    }

    /// <summary>The mount point.</summary>
    public string Path { get; }

    /// <summary>The file system's size in bytes.</summary>
    public long Size { get; }

    /// <summary>Free bytes on the file system now.</summary>
    public long FreeBytes => new DriveInfo(Path).AvailableFreeSpace;

    /// <summary>Mounts a tmpfs of <paramref name="size"/> bytes on <paramref name="path"/> (created when missing).</summary>
    /// <exception cref="InvalidOperationException">The mount failed (not root, or no mount in this container).</exception>
    public static SmallDisk Mount(string path, long size)
    {
        Directory.CreateDirectory(path);
        var (code, output) = Run("mount", "-t", "tmpfs", "-o", string.Create(CultureInfo.InvariantCulture, $"size={size},mode=0755"), "tmpfs", path);
        if (code != 0)
        {
            throw new InvalidOperationException(
                $"This test needs a small file system of its own and mounts a tmpfs on {path}, which needs root (CI runs tests as root): mount exited with {code}: {output.Trim()}");
        }

        return new SmallDisk(path, size);
    }

    /// <summary>Fills the file system with <paramref name="name"/> until a write fails for want of space.</summary>
    /// <returns>The filler file's path.</returns>
    public string Fill(string name = "filler")
    {
        var filler = System.IO.Path.Combine(Path, name);
        var block = new byte[16 * 1024];
        using var file = new FileStream(filler, FileMode.Create, FileAccess.Write, FileShare.None, 1);
        try
        {
            while (true)
            {
                file.Write(block);
            }
        }
        catch (IOException)
        {
            // No space left: that is the point.
        }

        return filler;
    }

    /// <summary>Unmounts (lazily when something still holds a file open, so the test's clean-up goes on).</summary>
    public void Dispose()
    {
        if (Run("umount", Path).Code != 0)
        {
            Run("umount", "-l", Path);
        }
    }

    private static (int Code, string Output) Run(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        try
        {
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, $"{program} could not be started: {ex.Message}");
        }
    }
}
