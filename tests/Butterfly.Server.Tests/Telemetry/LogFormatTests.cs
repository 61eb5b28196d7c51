using System.Text.Json;
using Butterfly.Client;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Telemetry;

/// <summary>The console log (README.md, "Watching it"): the delivery line, JSON lines with the ids, journald's priorities.</summary>
public sealed class LogFormatTests : IDisposable
{
    private readonly TempDirectory _directory = new("bf-log-format");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Send_TextFormat_OneDeliveryLineAtInformationWithTheSession()
    {
        await using var daemon = await StartAsync(format: null);

        await SendAsync(daemon);

        await Eventually.TrueAsync(() => LogLines(daemon).Any(l => l.Contains("Butterfly.Delivered", StringComparison.Ordinal)), "the delivery is logged");
        var line = Assert.Single(LogLines(daemon), l => l.Contains("Butterfly.Delivered", StringComparison.Ordinal));
        Assert.Contains(" info: ", line, StringComparison.Ordinal);
        Assert.Matches("Delivery [0-9a-f]{32} from client <alice@example.org> to 1 recipient\\(s\\): accepted, [0-9]+ bytes, [0-9.]+ ms", line);
        Assert.Contains("=> session ", line, StringComparison.Ordinal);
        Assert.Equal(0, await daemon.StopAsync());
    }

    [Fact]
    public async Task Send_JsonFormat_EveryLineParsesAndCarriesTheIds()
    {
        await using var daemon = await StartAsync(format: "json");

        await SendAsync(daemon);
        await using (var guesser = await ButterflyClient.ConnectAsync(daemon.EndPoint))
        {
            await Assert.ThrowsAsync<ButterflyException>(() => guesser.LoginAsync("alice@example.org", "wrong-password"));
        }

        await Eventually.TrueAsync(
            () => LogLines(daemon).Any(l => l.Contains("\"Butterfly.Delivered\"", StringComparison.Ordinal)) && LogLines(daemon).Any(l => l.Contains("Failed login", StringComparison.Ordinal)),
            "the delivery and the failed login are logged");
        await daemon.StopAsync();

        var lines = LogLines(daemon).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.All(lines, l => Assert.True(l.TryGetProperty("LogLevel", out _) && l.TryGetProperty("Category", out _) && l.TryGetProperty("Timestamp", out _), l.ToString()));

        var delivery = Assert.Single(lines, l => l.GetProperty("Category").GetString() == "Butterfly.Delivered");
        Assert.Equal("Information", delivery.GetProperty("LogLevel").GetString());
        var state = delivery.GetProperty("State");
        Assert.Matches("^[0-9a-f]{32}$", state.GetProperty("DeliveryId").GetString()); // the client's submission id
        Assert.Equal("client", state.GetProperty("Source").GetString());
        Assert.Equal("accepted", state.GetProperty("Outcome").GetString());
        Assert.Equal(1, state.GetProperty("Recipients").GetInt32());
        var session = SessionId(delivery);
        Assert.Matches("^[0-9a-f]{32}$", session);

        // A warning about a session names it too, so it can be followed through every line of that connection.
        var failure = Assert.Single(lines, l => l.GetProperty("Message").GetString()!.StartsWith("Failed login", StringComparison.Ordinal));
        Assert.Equal("Warning", failure.GetProperty("LogLevel").GetString());
        Assert.Matches("^[0-9a-f]{32}$", SessionId(failure));
        Assert.NotEqual(session, SessionId(failure));
    }

    [Fact]
    public async Task Serve_StdoutToJournal_PriorityPrefixes()
    {
        var config = WriteConfig(format: null);

        await using var daemon = await DaemonProcess.StartAsync(config, info => info.Environment["JOURNAL_STREAM"] = "8:12345");
        await SendAsync(daemon);

        await Eventually.TrueAsync(() => LogLines(daemon).Any(l => l.StartsWith("<6>Butterfly.Delivered[1000] ", StringComparison.Ordinal)), "the delivery line has journald's info priority");
        Assert.Contains(LogLines(daemon), l => l.StartsWith("<6>Butterfly[0] Serving ", StringComparison.Ordinal));
        Assert.Equal(0, await daemon.StopAsync());
    }

    private static string SessionId(JsonElement line) =>
        line.GetProperty("Scopes").EnumerateArray().Single(s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty("SessionId", out _)).GetProperty("SessionId").GetString()!;

    /// <summary>The daemon's log lines: everything but the lines it prints itself (<c>butterfly: listening on …</c>).</summary>
    private static List<string> LogLines(DaemonProcess daemon) =>
        [.. daemon.Output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0 && !l.StartsWith("butterfly: ", StringComparison.Ordinal))];

    private static async Task<SendResult> SendAsync(DaemonProcess daemon)
    {
        await using var alice = await ButterflyClient.ConnectAsync(daemon.EndPoint);
        await alice.RegisterAsync("alice@example.org", "alice-password");
        return await alice.SendAsync(new SendRequest { To = ["alice@example.org"], Subject = "logged", Text = "One line for this." });
    }

    private string WriteConfig(string? format) =>
        DaemonProcess.WriteConfig(_directory.Path, configure: c =>
        {
            c["registration"] = new System.Text.Json.Nodes.JsonObject { ["open"] = true };
            if (format is not null)
            {
                c["logging"]!["format"] = format;
            }
        });

    private Task<DaemonProcess> StartAsync(string? format) => DaemonProcess.StartAsync(WriteConfig(format));
}
