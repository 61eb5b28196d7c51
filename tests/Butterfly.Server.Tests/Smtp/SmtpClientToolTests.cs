using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Butterfly.Server.Tests.Smtp;

/// <summary>
/// The listener spoken to by SMTP software other than ours: swaks (Debian's package) pipelining a
/// transaction, and Python's smtplib sending an SMTPUTF8 message to many recipients.
/// </summary>
public sealed class SmtpClientToolTests : IAsyncLifetime
{
    private SmtpTestServer _server = null!;

    public async Task InitializeAsync() => _server = await SmtpTestServer.StartAsync(
        ["alice", "bob"],
        c => c["limits"] = new JsonObject { ["maxRecipients"] = 1000 });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Swaks_PipelinedTransactionToTwoRecipients_DeliveredToBoth()
    {
        var result = await RunAsync(
            "swaks",
            [
                "--server", $"127.0.0.1:{_server.SmtpPort}", "--ehlo", "client.test", "--pipeline",
                "--from", "someone@sender.test", "--to", "alice@example.org,bob@example.org",
                "--header", "Subject: from swaks", "--body", "pipelined by swaks",
            ]);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("PIPELINING", result.Output, StringComparison.Ordinal);
        Assert.Contains("from swaks", Assert.Single(await _server.WaitForMessagesAsync("alice", 1)), StringComparison.Ordinal);
        Assert.Contains("pipelined by swaks", Assert.Single(await _server.WaitForMessagesAsync("bob", 1)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Smtplib_SmtpUtf8SenderAndThousandRecipients_OneCopyWithTheUtf8Intact()
    {
        const string script = """
            import smtplib, sys
            port = int(sys.argv[1])
            recipients = ["alice+r%d@example.org" % i for i in range(1000)]
            message = ("From: Jörg <jörg@sender.test>\r\nTo: alice@example.org\r\nSubject: Grüße\r\n"
                       "Content-Type: text/plain; charset=utf-8\r\n\r\nnaïve café\r\n").encode("utf-8")
            with smtplib.SMTP("127.0.0.1", port, local_hostname="client.test") as smtp:
                smtp.ehlo()
                assert smtp.has_extn("smtputf8"), "no SMTPUTF8"
                refused = smtp.sendmail("jörg@sender.test", recipients, message, mail_options=["SMTPUTF8", "BODY=8BITMIME"])
                assert not refused, refused
            print("sent")
            """;
        var path = Path.Combine(_server.Directory, "send.py");
        await File.WriteAllTextAsync(path, script);

        var result = await RunAsync("python3", [path, _server.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

        Assert.True(result.ExitCode == 0, result.Output);
        var message = Assert.Single(await _server.WaitForMessagesAsync("alice", 1));
        Assert.Contains("Subject: Grüße", message, StringComparison.Ordinal);
        Assert.Contains("naïve café", message, StringComparison.Ordinal);
        Assert.Contains("jörg@sender.test", message, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
