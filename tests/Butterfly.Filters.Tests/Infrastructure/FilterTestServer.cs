using System.Text.Json.Nodes;
using Butterfly.Client;
using Butterfly.TestUtilities;

namespace Butterfly.Filters.Tests.Infrastructure;

/// <summary>
/// A real daemon for filter tests: domain example.org, open registration (users are created by
/// <c>register</c>), the filter socket in the test's own folder and the given <c>filters</c>.
/// Every user's password is its address followed by "-pw".
/// </summary>
internal sealed class FilterTestServer : IAsyncDisposable
{
    private readonly TempDirectory _directory;

    private FilterTestServer(TempDirectory directory, DaemonProcess daemon)
    {
        _directory = directory;
        Daemon = daemon;
    }

    public DaemonProcess Daemon { get; }

    /// <summary>The UNIX socket filters connect to (an absolute path: filterSocket.path).</summary>
    public string SocketPath => _directory.Combine("filter.sock");

    /// <summary>A path in the test's folder, for the filters' own files.</summary>
    public string File(string name) => _directory.Combine(name);

    /// <summary>Starts the daemon with <paramref name="filters"/> (the "filters" array of butterfly.json) and creates the users.</summary>
    public static Task<FilterTestServer> StartAsync(JsonArray filters, params string[] users) => StartAsync(filters, null, users);

    /// <summary>Starts the daemon with <paramref name="filters"/>, more configuration, and creates the users.</summary>
    public static async Task<FilterTestServer> StartAsync(JsonArray filters, Action<JsonObject>? configure, params string[] users)
    {
        var directory = new TempDirectory("bf-filters");
        try
        {
            var config = DaemonProcess.WriteConfig(directory.Path, ["example.org"], c =>
            {
                c["registration"] = new JsonObject { ["open"] = true };
                c["filterSocket"] = new JsonObject { ["path"] = directory.Combine("filter.sock"), ["mode"] = "0600" };
                c["filters"] = filters;
                configure?.Invoke(c);
            });
            var server = new FilterTestServer(directory, await DaemonProcess.StartAsync(config));
            foreach (var user in users)
            {
                await using var client = await ButterflyClient.ConnectAsync(server.Daemon.EndPoint);
                await client.RegisterAsync(user, user + "-pw");
            }

            return server;
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    /// <summary>One filter entry: the name, its stages, failure policy tempfail.</summary>
    public static JsonObject Filter(string name, params string[] stages)
    {
        var array = new JsonArray();
        foreach (var stage in stages)
        {
            array.Add(stage);
        }

        return new JsonObject { ["name"] = name, ["stages"] = array, ["timeoutSeconds"] = 10, ["onFailure"] = "tempfail" };
    }

    /// <summary>A logged-in client.</summary>
    public async Task<ButterflyClient> LoginAsync(string user)
    {
        var client = await ButterflyClient.ConnectAsync(Daemon.EndPoint);
        await client.LoginAsync(user, user + "-pw");
        return client;
    }

    /// <summary>Sends a simple message as <paramref name="from"/>.</summary>
    public async Task<SendResult> SendAsync(string from, string to, string subject, string text)
    {
        await using var client = await LoginAsync(from);
        return await client.SendAsync(new SendRequest { To = [to], Subject = subject, Text = text });
    }

    /// <summary>Sends a raw RFC 5322 message as <paramref name="from"/> to the envelope recipients.</summary>
    public async Task<SendResult> SendRawAsync(string from, IReadOnlyList<string> rcpt, string raw)
    {
        await using var client = await LoginAsync(from);
        return await client.SendAsync(new SendRequest { Raw = System.Text.Encoding.UTF8.GetBytes(raw.ReplaceLineEndings("\r\n")), Rcpt = rcpt });
    }

    /// <summary>Every message of a folder, oldest first, with its bytes.</summary>
    public async Task<IReadOnlyList<FetchedMessage>> MessagesAsync(string user, string folder = "Inbox")
    {
        await using var client = await LoginAsync(user);
        var page = await client.ListMessagesAsync(folder, limit: 500);
        var messages = new List<FetchedMessage>();
        foreach (var message in page.Messages.OrderBy(m => m.Id))
        {
            messages.Add(await client.FetchAsync(folder, message.Id));
        }

        return messages;
    }

    /// <summary>
    /// Waits until the folder holds at least <paramref name="count"/> messages (injected mail may
    /// be delivered just after the send that caused it is answered), then returns them all.
    /// </summary>
    public async Task<IReadOnlyList<FetchedMessage>> WaitForMessagesAsync(string user, string folder, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var messages = await MessagesAsync(user, folder);
            if (messages.Count >= count || DateTime.UtcNow > deadline)
            {
                return messages;
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Daemon.StopAsync();
        }
        finally
        {
            await Daemon.DisposeAsync();
            _directory.Dispose();
        }
    }
}
