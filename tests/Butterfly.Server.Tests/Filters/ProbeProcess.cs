using System.Text.Json.Nodes;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Filters;

/// <summary>
/// The probe filter (tests/Butterfly.FilterProbe) as a real child process: <c>dotnet
/// Butterfly.FilterProbe.dll ...</c>, awaited until it prints <c>filter NAME: registered</c>.
/// </summary>
internal static class ProbeProcess
{
    /// <summary>Starts the probe; waits until it has registered unless <paramref name="waitRegistered"/> is false.</summary>
    public static Task<FilterChildProcess> StartAsync(string socket, string name, string[] args, bool waitRegistered = true)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Butterfly.FilterProbe.dll");
        return FilterChildProcess.StartAsync("dotnet", [dll, "--socket", socket, "--name", name, .. args], name, waitRegistered);
    }

    /// <summary>The probe's log lines (one JSON object per request), from <paramref name="path"/>.</summary>
    public static IReadOnlyList<JsonObject> ReadLog(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var lines = new List<JsonObject>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                lines.Add(JsonNode.Parse(line)!.AsObject());
            }
        }

        return lines;
    }
}
