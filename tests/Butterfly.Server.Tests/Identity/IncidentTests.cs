using System.Text.RegularExpressions;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Tests.Infrastructure;
using Butterfly.TestUtilities;
using Microsoft.Data.Sqlite;

namespace Butterfly.Server.Tests.Identity;

/// <summary>
/// protocol/errors.md, <c>server.internal</c>: an unexpected failure in a command is answered with
/// an incident id that the daemon's one log line about it carries too, and the session goes on.
/// </summary>
public sealed partial class IncidentTests(DaemonFixture daemon) : IClassFixture<DaemonFixture>
{
    [Fact]
    public async Task Command_StoreFailsUnexpectedly_ServerInternalWithTheIncidentIdOfItsLogLine()
    {
        await using var session = await RawSession.RegisterAsync(daemon.EndPoint, "incident@example.org");

        // A real failure inside the store, from outside the daemon: a trigger that aborts one insert.
        Execute("CREATE TRIGGER incident_fault BEFORE INSERT ON folders WHEN NEW.name = 'Faulty' BEGIN SELECT RAISE(ABORT, 'injected fault'); END");
        try
        {
            var reply = await session.RequestAsync(new { cmd = "folder.create", folder = "Faulty" });

            Assert.Equal(ErrorCode.ServerInternal, reply.Error);
            var match = IncidentPattern().Match(reply.Json.GetProperty("message").GetString()!);
            Assert.True(match.Success, reply.Head);
            var incident = match.Groups[1].Value;
            await Eventually.TrueAsync(() => LinesWith(incident) == 1, $"one log line naming incident {incident}");
            Assert.Contains("folder.create", daemon.Daemon.Output.Split('\n').Single(l => l.Contains(incident, StringComparison.Ordinal)), StringComparison.Ordinal);

            var next = await session.RequestAsync(new { cmd = "folder.list" });
            Assert.True(next.Ok, next.Head);
        }
        finally
        {
            Execute("DROP TRIGGER incident_fault");
        }
    }

    [GeneratedRegex(@"\(incident ([0-9a-f]{16})\)")]
    private static partial Regex IncidentPattern();

    private int LinesWith(string text) => daemon.Daemon.Output.Split('\n').Count(l => l.Contains(text, StringComparison.Ordinal));

    private void Execute(string sql)
    {
        SQLitePCL.Batteries_V2.Init();
        using var connection = new SqliteConnection($"Data Source={Path.Combine(daemon.Directory, "data", "butterfly.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout = 5000; " + sql;
        command.ExecuteNonQuery();
    }
}
