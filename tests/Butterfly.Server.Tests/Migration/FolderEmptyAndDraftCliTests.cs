using System.Text;
using System.Text.Json;
using Butterfly.Client;
using Butterfly.Server.Tests.Infrastructure;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Migration;

/// <summary><c>butterfly folder empty</c> and <c>butterfly draft save|list|send</c> as real processes against the real daemon.</summary>
public sealed class FolderEmptyAndDraftCliTests(DaemonFixture daemon) : IClassFixture<DaemonFixture>
{
    [Fact]
    public async Task FolderEmpty_WithYes_RemovesEveryMessage_WithoutYesRefusedOnRedirectedInput()
    {
        await using var client = await RegisterAsync("empty-cli@example.org");
        for (var n = 1; n <= 3; n++)
        {
            await client.ImportAsync("Trash", MigrationFiles.Message(n));
        }

        var unconfirmed = await CliProcess.RunAsync(["folder", "empty", "Trash"], "", As("empty-cli@example.org"));
        Assert.Equal(2, unconfirmed.ExitCode);
        Assert.Contains("--yes", unconfirmed.Stderr, StringComparison.Ordinal);
        Assert.Equal(3, (await client.ListFoldersAsync()).Single(f => f.Name == "Trash").Messages);

        var emptied = await CliProcess.RunAsync(["folder", "empty", "Trash", "--yes", "--json"], null, As("empty-cli@example.org"));

        Assert.True(emptied.ExitCode == 0, emptied.ToString());
        Assert.Equal(3, JsonDocument.Parse(emptied.Stdout).RootElement.GetProperty("expunged").GetInt64());
        Assert.Equal(0, (await client.ListFoldersAsync()).Single(f => f.Name == "Trash").Messages);
    }

    [Fact]
    public async Task Draft_SaveListSend_DeliveredThenDraftRemoved()
    {
        await using var sender = await RegisterAsync("drafter@example.org");
        await using var reader = await RegisterAsync("draft-reader@example.org");
        await using var hidden = await RegisterAsync("draft-hidden@example.org");
        var author = As("drafter@example.org");

        var saved = await Ok(["draft", "save", "--to", "draft-reader@example.org", "--bcc", "draft-hidden@example.org", "--subject", "Plans", "--body", "Thursday?", "--json"], author);
        var id = JsonDocument.Parse(saved.Stdout).RootElement.GetProperty("id").GetInt64();
        var listed = JsonDocument.Parse((await Ok(["draft", "list", "--json"], author)).Stdout).RootElement.GetProperty("drafts");
        var draft = Assert.Single(listed.EnumerateArray());
        Assert.Equal(("Plans", id), (draft.GetProperty("subject").GetString(), draft.GetProperty("id").GetInt64()));
        Assert.Equal(["draft"], draft.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));

        var sent = await Ok(["draft", "send", id.ToString(System.Globalization.CultureInfo.InvariantCulture)], author);

        Assert.Contains("draft-reader@example.org: delivered", sent.Stdout, StringComparison.Ordinal);
        var inbox = (await reader.ListMessagesAsync("Inbox")).Messages.Single();
        Assert.Equal("Plans", inbox.Subject);
        var delivered = Encoding.UTF8.GetString((await reader.FetchAsync("Inbox", inbox.Id)).Content);
        Assert.Contains("Thursday?", delivered, StringComparison.Ordinal);
        Assert.DoesNotContain("draft-hidden", delivered, StringComparison.Ordinal);
        Assert.Single((await hidden.ListMessagesAsync("Inbox")).Messages);
        var folders = (await sender.ListFoldersAsync()).ToDictionary(f => f.Name, f => f.Messages);
        Assert.Equal((0, 0, 1), (folders["Drafts"], folders["Trash"], folders["Sent"]));
        Assert.Contains("FOLDER", (await Ok(["draft", "list"], author)).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DraftSend_NoSuchDraft_MessageNotFound()
    {
        await using var client = await RegisterAsync("draft-missing@example.org");

        var run = await CliProcess.RunAsync(["draft", "send", "42"], null, As("draft-missing@example.org"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("message.not-found", run.Stderr, StringComparison.Ordinal);
    }

    private Dictionary<string, string> As(string user) => new()
    {
        ["BUTTERFLY_SERVER"] = daemon.EndPoint,
        ["BUTTERFLY_USER"] = user,
        ["BUTTERFLY_PASSWORD"] = "long-password",
    };

    private static async Task<CliResult> Ok(string[] args, Dictionary<string, string> environment)
    {
        var result = await CliProcess.RunAsync(args, null, environment);
        Assert.True(result.ExitCode == 0, $"butterfly {string.Join(' ', args)}: {result}");
        return result;
    }

    private async Task<ButterflyClient> RegisterAsync(string user)
    {
        var client = await ButterflyClient.ConnectAsync(daemon.EndPoint);
        await client.RegisterAsync(user, "long-password");
        return client;
    }
}
