using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Butterfly.Client;
using Butterfly.Server.Tests.Dns;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Smtp;

/// <summary>
/// A real daemon with the SMTP gateway's listener on a loopback port, a TLS certificate for STARTTLS,
/// its DNS pointed at a loopback DNS server the test fills, and accounts made through the client.
/// </summary>
internal sealed class SmtpTestServer : IAsyncDisposable
{
    public const string Password = "correct horse battery";

    private readonly TempDirectory _directory = new("butterfly-smtp");

    private SmtpTestServer()
    {
    }

    /// <summary>The daemon process.</summary>
    public DaemonProcess Daemon { get; private set; } = null!;

    /// <summary>The DNS server the daemon asks.</summary>
    public LoopbackDnsServer Dns { get; } = new();

    /// <summary>The SMTP listener's port.</summary>
    public int SmtpPort { get; private set; }

    /// <summary>The data folder's parent.</summary>
    public string Directory => _directory.Path;

    /// <summary>Starts a daemon for example.org with <paramref name="accounts"/> (local parts or addresses).</summary>
    public static async Task<SmtpTestServer> StartAsync(IEnumerable<string> accounts, Action<JsonObject>? configure = null)
    {
        var server = new SmtpTestServer();
        try
        {
            using (var certificate = TestCertificates.SelfSigned("mx.example.org"))
            {
                TestCertificates.WritePem(certificate, server._directory.Combine("cert.pem"), server._directory.Combine("key.pem"));
            }

            var config = DaemonProcess.WriteConfig(server._directory.Path, ["example.org"], c =>
            {
                c["serverName"] = "mx.example.org";
                c["registration"] = new JsonObject { ["open"] = true };
                c["smtp"] = new JsonObject { ["listen"] = "127.0.0.1:0" };
                c["dns"] = new JsonObject { ["servers"] = new JsonArray(server.Dns.Address), ["timeoutSeconds"] = 2, ["attempts"] = 1 };
                c["loginPenalty"] = new JsonObject { ["initialDelaySeconds"] = 0 };
                configure?.Invoke(c);
            });
            server.Daemon = await DaemonProcess.StartAsync(config);
            await Eventually.TrueAsync(() => server.Daemon.Output.Contains("butterfly: smtp listening on ", StringComparison.Ordinal), "the daemon says where SMTP listens");
            var line = server.Daemon.Output.Split('\n').First(l => l.StartsWith("butterfly: smtp listening on ", StringComparison.Ordinal)).Trim();
            server.SmtpPort = int.Parse(line[(line.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
            foreach (var account in accounts)
            {
                await using var client = await ButterflyClient.ConnectAsync(server.Daemon.EndPoint);
                await client.RegisterAsync(Address(account), Password);
            }

            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>A new SMTP dialogue with the listener (greeting read).</summary>
    public Task<SmtpDialog> ConnectAsync() => SmtpDialog.ConnectAsync("127.0.0.1", SmtpPort);

    /// <summary>A dialogue after EHLO <paramref name="helo"/>.</summary>
    public async Task<SmtpDialog> HelloAsync(string helo = "client.test")
    {
        var dialog = await ConnectAsync();
        var reply = await dialog.CommandAsync("EHLO " + helo);
        Assert.Equal(250, reply.Code);
        return dialog;
    }

    /// <summary>The raw messages in <paramref name="folder"/> of <paramref name="account"/>, oldest first.</summary>
    public async Task<IReadOnlyList<string>> MessagesAsync(string account, string folder = "Inbox")
    {
        await using var client = await ButterflyClient.ConnectAsync(Daemon.EndPoint);
        await client.LoginAsync(Address(account), Password);
        var page = await client.ListMessagesAsync(folder, 500);
        var texts = new List<string>();
        foreach (var item in page.Messages.OrderBy(m => m.Id))
        {
            var fetched = await client.FetchAsync(folder, item.Id);
            texts.Add(Encoding.UTF8.GetString(fetched.Content));
        }

        return texts;
    }

    /// <summary>Waits until <paramref name="folder"/> of <paramref name="account"/> holds <paramref name="count"/> messages; returns them.</summary>
    public async Task<IReadOnlyList<string>> WaitForMessagesAsync(string account, int count, string folder = "Inbox")
    {
        IReadOnlyList<string> messages = [];
        await Eventually.TrueAsync(async () => (messages = await MessagesAsync(account, folder)).Count >= count, $"{account} has {count} message(s) in {folder}");
        return messages;
    }

    public async ValueTask DisposeAsync()
    {
        if (Daemon is not null)
        {
            await Daemon.DisposeAsync();
        }

        await Dns.DisposeAsync();
        _directory.Dispose();
    }

    private static string Address(string account) => account.Contains('@', StringComparison.Ordinal) ? account : account + "@example.org";
}
