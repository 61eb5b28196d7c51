using System.Text;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Tests.Infrastructure;

namespace Butterfly.Server.Tests.Identity;

/// <summary>
/// Names on the wire (protocol/client.md, "Addresses, folders, message ids"): lookalike accounts
/// refused, folder names in NFC with nothing invisible, and heads that are not Unicode answered
/// with a tagged <c>request.malformed-json</c> on a connection that goes on.
/// </summary>
public sealed class NameRulesWireTests(DaemonFixture daemon) : IClassFixture<DaemonFixture>
{
    [Theory]
    [InlineData("dana@example.org", "\uFF44ana@example.org")]
    [InlineData("Caf\u00E9@example.org", "Cafe\u0301@example.org")]
    [InlineData("erin@example.org", "ERIN@example.org.")]
    public async Task Register_LookalikeOfExistingAccount_AccountExists(string first, string second)
    {
        await using var one = await RawSession.RegisterAsync(daemon.EndPoint, first);

        var reply = await TryRegisterAsync(second);

        Assert.False(reply.Ok, reply.Head);
        Assert.Equal(ErrorCode.AccountExists, reply.Error);
    }

    [Theory]
    [InlineData("p\u043Eter@example.org")]
    [InlineData("ev\u202Eil@example.org")]
    [InlineData("zero\u200Bwidth@example.org")]
    [InlineData("soft\u00ADhyphen@example.org")]
    public async Task Register_MixedScriptOrInvisibleLocalPart_InvalidAddress(string user)
    {
        var reply = await TryRegisterAsync(user);

        Assert.False(reply.Ok, reply.Head);
        Assert.Equal(ErrorCode.AccountInvalidAddress, reply.Error);
    }

    [Fact]
    public async Task FolderCreate_NfdAfterNfc_IsTheSameFolder()
    {
        await using var session = await RawSession.RegisterAsync(daemon.EndPoint, "folders-nfc@example.org");

        var nfc = await session.RequestAsync(new { cmd = "folder.create", folder = "Caf\u00E9" });
        var nfd = await session.RequestAsync(new { cmd = "folder.create", folder = "Cafe\u0301" });

        Assert.True(nfc.Ok, nfc.Head);
        Assert.Equal(ErrorCode.FolderExists, nfd.Error);
    }

    [Theory]
    [InlineData("Work\u202Egpj.exe")]
    [InlineData("In\u200Bbox")]
    [InlineData("Hidden\u2060Join")]
    public async Task FolderCreate_InvisibleCharacter_InvalidName(string name)
    {
        await using var session = await RawSession.RegisterAsync(daemon.EndPoint, $"folders-bidi-{Math.Abs(name.GetHashCode(StringComparison.Ordinal))}@example.org");

        var reply = await session.RequestAsync(new { cmd = "folder.create", folder = name });

        Assert.Equal(ErrorCode.FolderInvalidName, reply.Error);
    }

    [Theory]
    [InlineData(new byte[] { 0xC3, 0x28 })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    [InlineData(new byte[] { 0xFF })]
    public async Task Head_InvalidUtf8_TaggedMalformedJsonAndTheSessionGoesOn(byte[] bad)
    {
        await using var session = await RawSession.ConnectAsync(daemon.EndPoint);
        var head = Encoding.UTF8.GetBytes("{\"cmd\":\"").Concat(bad).Concat(Encoding.UTF8.GetBytes("\"}")).ToArray();

        await session.Connection.SendRawAsync(Butterfly.Protocol.Framing.FrameWriter.ToArray(7, head, []));
        var reply = await session.Connection.ReadAsync();

        Assert.NotNull(reply);
        Assert.Equal(7ul, reply.Tag);
        Assert.Equal(ErrorCode.RequestMalformedJson, reply.Error);
        var next = await session.RequestAsync(new { cmd = "hello", version = 1 });
        Assert.True(next.Ok, next.Head);
    }

    [Theory]
    [InlineData("{\"cmd\":\"\\ud800\"}")]
    [InlineData("{\"cmd\":\"login\",\"user\":\"\\udc00x\",\"password\":\"p\"}")]
    [InlineData("{\"cmd\":\"login\",\"user\":\"a\\ud800\\ud800\",\"password\":\"p\"}")]
    public async Task Head_LoneSurrogateEscape_TaggedMalformedJson(string head)
    {
        await using var session = await RawSession.ConnectAsync(daemon.EndPoint);

        await session.Connection.SendAsync(9, head);
        var reply = await session.Connection.ReadAsync();

        Assert.NotNull(reply);
        Assert.Equal(9ul, reply.Tag);
        Assert.Equal(ErrorCode.RequestMalformedJson, reply.Error);
    }

    private async Task<RawFrame> TryRegisterAsync(string user)
    {
        await using var session = await RawSession.ConnectAsync(daemon.EndPoint);
        return await session.RequestAsync(new { cmd = "register", user, password = "password-123" });
    }
}
