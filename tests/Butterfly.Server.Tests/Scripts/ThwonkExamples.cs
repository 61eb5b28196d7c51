using Butterfly.TestUtilities;
using Microsoft.Data.Sqlite;

namespace Butterfly.Server.Tests.Scripts;

/// <summary>The example scripts in src/Examples/thwonk/, and a way to make a script's schedule due at once.</summary>
internal static class ThwonkExamples
{
    /// <summary>The source of example <paramref name="file"/> (e.g. <c>1-tiny-list.js</c>).</summary>
    public static string Read(string file)
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Butterfly.sln")))
        {
            folder = folder.Parent;
        }

        Assert.True(folder is not null, "the repository root (Butterfly.sln) is not above the test's folder");
        return File.ReadAllText(Path.Combine(folder!.FullName, "src", "Examples", "thwonk", file));
    }

    /// <summary>
    /// Stops the daemon of <paramref name="domain"/>, moves the script's next scheduled run
    /// <paramref name="missedDays"/> days into the past (as if the daemon had been down since), and starts
    /// it again: the schedule worker finds it due at once.
    /// </summary>
    public static async Task<DaemonProcess> MissScheduleAsync(PeerNetwork network, string domain, string address, int missedDays)
    {
        Assert.Equal(0, await network[domain].StopAsync());
        var database = Path.Combine(Path.GetDirectoryName(network.ConfigOf(domain))!, "data", "butterfly.db");
        await using (var connection = new SqliteConnection($"Data Source={database};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE scripts SET next_run = $n WHERE address = $a";
            command.Parameters.AddWithValue("$n", DateTimeOffset.UtcNow.AddDays(-missedDays).ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$a", address);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        return await network.StartAgainAsync(domain);
    }
}
